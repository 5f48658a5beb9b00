package io.trainyard.data.features;

import static org.apache.spark.sql.functions.col;

import io.trainyard.data.source.Columns;
import io.trainyard.data.source.DataException;
import io.trainyard.spec.data.NullPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Nulls, NaN and infinities per column, counted in one pass, and what the null policy makes of them. */
public record NullCensus(NullPolicy policy, long droppedRows, List<String> checkedColumns) {
    private static final Logger LOG = LoggerFactory.getLogger(NullCensus.class);

    public static NullCensus take(Dataset<Row> derived, List<ModelInput> inputs, NullPolicy policy, String labelName) {
        List<String> names = names(inputs, labelName);
        List<String> checked = new ArrayList<>();
        checked.add(Columns.Y);
        int s = 0;
        int c = 0;
        for (ModelInput in : inputs) {
            checked.add(in.categorical() ? FeatureTransforms.categoricalName(c++) : FeatureTransforms.scalarName(s++));
        }
        if (List.of(derived.columns()).contains(TextPlan.TOKENS)) {
            // The text columns as one: their tokens are null when any of them is (and nulls are not read as empty).
            checked.add(TextPlan.TOKENS);
            names.add("text");
        }
        ColumnScan.Partial scan = ColumnScan.scan(derived, List.of(), checked);
        return judge(scan.rows, scan.rowsWithNull, scan.nulls, names, policy, checked);
    }

    /**
     * What the null policy makes of counted nulls: refused (fail), rows dropped (drop, or a null label under impute),
     * or nothing.
     *
     * @param nulls        nulls (NaN and infinities included) of each named column
     * @param names        how each counted column is named in messages: the label first, then the inputs
     * @param rowsWithNull rows with a null in any counted column
     */
    public static NullCensus judge(
            long total, long rowsWithNull, long[] nulls, List<String> names, NullPolicy policy, List<String> checked) {
        List<String> offenders = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (nulls[i] > 0) {
                offenders.add(names.get(i) + " " + nulls[i]);
            }
        }
        long labelNulls = nulls[0];
        long rowsWithNulls = rowsWithNull;
        if (policy == NullPolicy.FAIL && !offenders.isEmpty()) {
            throw new DataException("data.nulls = fail: null, NaN or infinite values in " + String.join(", ", offenders)
                    + " (of " + total + " rows); set data.nulls = drop or impute");
        }
        long dropped = policy == NullPolicy.DROP ? rowsWithNulls : policy == NullPolicy.IMPUTE ? labelNulls : 0;
        if (dropped > 0) {
            LOG.info(
                    "data.nulls = {}: dropping {} of {} rows",
                    policy.name().toLowerCase(java.util.Locale.ROOT),
                    dropped,
                    total);
        }
        if (total == 0) {
            throw new DataException("data: no rows to train on");
        }
        if (dropped == total) {
            throw new DataException("data.nulls = " + policy.name().toLowerCase(java.util.Locale.ROOT)
                    + ": every one of the " + total + " rows has a null; nothing is left to train on");
        }
        return new NullCensus(policy, dropped, checked);
    }

    /** How the label and each input are named in the census's messages, in the order their counts are given. */
    public static List<String> names(List<ModelInput> inputs, String labelName) {
        List<String> names = new ArrayList<>();
        names.add("label '" + labelName + "'");
        for (ModelInput in : inputs) {
            names.add("'" + in.name() + "'");
        }
        return names;
    }

    public Dataset<Row> apply(Dataset<Row> derived) {
        if (policy == NullPolicy.FAIL || droppedRows == 0) {
            return derived;
        }
        if (policy == NullPolicy.IMPUTE) {
            return derived.where(col(Columns.Y).isNotNull());
        }
        return derived.na().drop(checkedColumns.toArray(String[]::new));
    }
}
