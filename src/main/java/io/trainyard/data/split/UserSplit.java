package io.trainyard.data.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.trainyard.data.source.DataException;
import io.trainyard.data.source.FeatureSelector;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The data's own split ({@code split.column}): a column or SQL expression (checked like every other) whose values
 * are {@code train}, {@code validation} and {@code test}, case and surrounding spaces aside. Any other value, null
 * included, is refused naming it and how many rows hold it, before any work: a split the user chose is kept exactly,
 * never repaired.
 */
public final class UserSplit {
    private static final List<String> NAMES = List.of("train", "validation", "test");
    /** How many of the unknown values a refusal names. */
    private static final int SHOWN = 3;

    private UserSplit() {}

    /** {@code source} with {@link SplitAssigner#SPLIT} from the expression; refuses values that name no split. */
    public static Dataset<Row> mark(Dataset<Row> source, String expression, String sourceName) {
        String key = "split.column";
        Column value =
                FeatureSelector.resolve(key, expression, source, sourceName).column();
        Column name = lower(trim(value.cast("string")));
        Column split = when(name.equalTo(NAMES.get(0)), lit(SplitAssigner.TRAIN))
                .when(name.equalTo(NAMES.get(1)), lit(SplitAssigner.VALIDATION))
                .when(name.equalTo(NAMES.get(2)), lit(SplitAssigner.TEST));
        Dataset<Row> marked =
                source.withColumn(SplitAssigner.SPLIT, split).withColumn("__split_value", value.cast("string"));
        List<Row> unknown = marked.where(col(SplitAssigner.SPLIT).isNull())
                .groupBy("__split_value")
                .count()
                .orderBy(col("count").desc(), col("__split_value"))
                .limit(SHOWN + 1)
                .collectAsList();
        if (!unknown.isEmpty()) {
            List<String> named = new ArrayList<>();
            for (Row r : unknown.subList(0, Math.min(SHOWN, unknown.size()))) {
                named.add((r.isNullAt(0) ? "null" : "'" + r.getString(0) + "'") + " in " + r.getLong(1) + " rows");
            }
            throw new DataException(key + " = " + expression + " holds " + String.join(", ", named)
                    + (unknown.size() > SHOWN ? " and more" : "") + " in " + sourceName + "; its values must be train, "
                    + "validation or test");
        }
        return marked.drop("__split_value");
    }
}
