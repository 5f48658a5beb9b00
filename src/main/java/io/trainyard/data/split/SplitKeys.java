package io.trainyard.data.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import io.trainyard.data.source.Columns;
import io.trainyard.data.source.DataException;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.SelectedFeature;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.data.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * What the split reads from each row, before {@link SplitAssigner} cuts: its split hash and row-order hashes, its
 * stratum; and, after, the rows per split of every class, refused when a class has none in train.
 */
public final class SplitKeys {
    /** The seeded row order of the minibatches, and its tie-break. */
    public static final String ORDER = "__o";

    public static final String ORDER_TIE = "__o2";

    private SplitKeys() {}

    /**
     * Split hash (key and seed, or the split order with the key hash ranking ties) and row-order hashes (seed), all
     * independent of file order and partitioning.
     */
    public static Dataset<Row> withHashes(
            Dataset<Row> frame, FeatureSelector.Selection selection, long seed, OrderedSplit ordered) {
        List<Column> key = new ArrayList<>();
        key.add(lit(Seeds.derive(seed, "split")));
        if (selection.keyExpressions().isEmpty()) {
            key.addAll(rowColumns(selection));
        } else {
            for (int k = 0; k < selection.keyExpressions().size(); k++) {
                key.add(col(Columns.KEY_PREFIX + k));
            }
        }
        List<Column> tie = new ArrayList<>();
        tie.add(lit(Seeds.derive(seed, "order-tie")));
        tie.addAll(rowColumns(selection));
        Column keyHash = xxhash64(key.toArray(Column[]::new));
        return frame.withColumn(SplitAssigner.HASH, ordered == null ? keyHash : ordered.hash(keyHash))
                .withColumn(ORDER, xxhash64(lit(Seeds.derive(seed, "order")), col(SplitAssigner.HASH)))
                .withColumn(ORDER_TIE, xxhash64(tie.toArray(Column[]::new)));
    }

    private static List<Column> rowColumns(FeatureSelector.Selection selection) {
        List<Column> out = new ArrayList<>();
        out.add(col(Columns.LABEL));
        for (SelectedFeature f : selection.features()) {
            out.add(col(FeatureSelector.quote(f.name())));
        }
        return out;
    }

    /**
     * The stratum of a row: its class, or, when split.key groups rows that may differ in class, the smallest class
     * of its group, so that a group never straddles splits.
     */
    public static Column stratum(boolean stratified, FeatureSelector.Selection selection) {
        if (!stratified) {
            return lit("all");
        }
        if (selection.keyExpressions().isEmpty()) {
            return col(Columns.Y);
        }
        Column[] keys = new Column[selection.keyExpressions().size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = col(Columns.KEY_PREFIX + k);
        }
        return min(col(Columns.Y)).over(Window.partitionBy(keys));
    }

    /** Rows per split for each class; the assignment already has them when the strata are the classes. */
    public static Map<String, SplitCounts> strata(
            SplitAssigner.Assignment assignment, boolean strataAreClasses, Task task) {
        if (task != Task.CLASSIFICATION || strataAreClasses) {
            return assignment.counts();
        }
        Map<String, long[]> counts = new java.util.TreeMap<>();
        for (Row r : assignment
                .frame()
                .groupBy(Columns.Y, SplitAssigner.SPLIT)
                .count()
                .collectAsList()) {
            counts.computeIfAbsent(r.getString(0), k -> new long[3])[r.getInt(1)] = r.getLong(2);
        }
        return classCounts(counts);
    }

    /**
     * Rows per split of each class, from (train, validation, test) counts by class name; refused when a class has
     * none in train.
     */
    public static Map<String, SplitCounts> classCounts(Map<String, long[]> counts) {
        Map<String, SplitCounts> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, new SplitCounts(v[0], v[1], v[2])));
        List<String> untrained = out.entrySet().stream()
                .filter(e -> e.getValue().train() == 0)
                .map(e -> "'" + e.getKey() + "' (" + e.getValue().validation() + " validation, "
                        + e.getValue().test() + " test rows)")
                .toList();
        if (!untrained.isEmpty()) {
            throw new DataException("split: class " + String.join(", ", untrained) + " has no rows in train, so the "
                    + "model could never learn it; set split.stratify = true, or move the split");
        }
        return out;
    }
}
