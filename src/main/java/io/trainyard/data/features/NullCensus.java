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
        List<String> names = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        checked.add(Columns.Y);
        names.add("label '" + labelName + "'");
        int s = 0;
        int c = 0;
        for (ModelInput in : inputs) {
            checked.add(in.categorical() ? FeatureTransforms.categoricalName(c++) : FeatureTransforms.scalarName(s++));
            names.add("'" + in.name() + "'");
        }
        ColumnScan.Partial scan = ColumnScan.scan(derived, List.of(), checked);
        long total = scan.rows;
        List<String> offenders = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (scan.nulls[i] > 0) {
                offenders.add(names.get(i) + " " + scan.nulls[i]);
            }
        }
        long labelNulls = scan.nulls[0];
        long rowsWithNulls = scan.rowsWithNull;
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
