package io.trainyard.sweep;

import io.trainyard.run.Json;
import io.trainyard.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One row per trial, in trial order: its id, every swept key's value, status, epochs run, the epoch budget of the
 * last rung it reached, its best validation metric, its training time and, when it did not succeed, why. Written as
 * {@code results.csv} and {@code results.parquet}. A swept key's column is numeric when every trial's value is a
 * number, and text (lists rendered as JSON) otherwise.
 */
final class SweepResults {
    static final String CSV = "results.csv";
    static final String PARQUET = "results.parquet";

    private SweepResults() {
    }

    /** The column holding the metric: {@code validation_accuracy}, {@code validation_loss}, ... */
    static String metricColumn(SweepSpec sweep) {
        return "validation_" + sweep.metric().name().toLowerCase(Locale.ROOT);
    }

    static void write(SparkSession spark, RunDirectory run, SweepSpec sweep, SweepScheduler.Result result) {
        StructType schema = schema(sweep, result);
        List<Row> rows = rows(sweep, result, schema);
        run.writeText(CSV, csv(schema, rows));
        Path target = run.resolve(PARQUET);
        Path tmp = run.resolve("." + PARQUET + ".tmp-" + Long.toHexString(System.nanoTime()));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(tmp.toString());
        try {
            RunDirectory.replaceDirectory(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the results into " + target, e);
        }
    }

    static StructType schema(SweepSpec sweep, SweepScheduler.Result result) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("trial", DataTypes.IntegerType, false));
        for (String key : sweep.space().domains().keySet()) {
            boolean numeric = result.plans().values().stream().allMatch(p -> p.params().get(key) instanceof Number);
            fields.add(DataTypes.createStructField(key, numeric ? DataTypes.DoubleType : DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField("status", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("epochs", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("budget", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField(metricColumn(sweep), DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("seconds", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("reason", DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    private static List<Row> rows(SweepSpec sweep, SweepScheduler.Result result, StructType schema) {
        List<Row> rows = new ArrayList<>();
        for (TrialPlan plan : result.plans().values().stream()
                .sorted(java.util.Comparator.comparingInt(TrialPlan::id)).toList()) {
            TrialOutcome outcome = result.outcomes().get(plan.id());
            List<Object> values = new ArrayList<>();
            values.add(plan.id());
            for (String key : sweep.space().domains().keySet()) {
                Object v = plan.params().get(key);
                DataType type = schema.apply(key).dataType();
                values.add(type == DataTypes.DoubleType ? (Object) ((Number) v).doubleValue()
                        : v instanceof String s ? s : Json.MAPPER.valueToTree(v).toString());
            }
            values.add(outcome.status().name().toLowerCase(Locale.ROOT));
            values.add(outcome.epochsRun());
            values.add(plan.epochs());
            values.add(outcome.succeeded() ? outcome.best() : null);
            values.add(outcome.seconds());
            values.add(outcome.reason());
            rows.add(RowFactory.create(values.toArray()));
        }
        return rows;
    }

    static String csv(StructType schema, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(List.of(schema.fieldNames()).stream().map(SweepResults::quote).collect(Collectors.joining(",")))
                .append('\n');
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                cells.add(row.isNullAt(i) ? "" : quote(String.valueOf(row.get(i))));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    /** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
    private static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
