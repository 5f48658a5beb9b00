package io.trainyard.report;

import io.trainyard.run.Json;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.sweep.SweepScheduler;
import io.trainyard.sweep.SweepSpec;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A sweep's results table: one row per trial, in trial order, with its id, every swept key's value, status, epochs
 * run, the epoch budget of the last rung it reached, its best validation metric, its training time and, when it did
 * not succeed, why. A swept key's column holds numbers when every trial's value is a number, and text (lists
 * rendered as JSON) otherwise. Written as {@code results.csv} here and as {@code results.parquet} by the sweep job.
 */
public final class SweepResults {

    /** What a column holds. */
    public enum Type {
        INT,
        DOUBLE,
        STRING
    }

    /** A named, typed column. */
    public record Column(String name, Type type, boolean nullable) {}

    /** The table; a row's cells are Integer, Double, String or null, as its columns say. */
    public record Table(List<Column> columns, List<List<Object>> rows) {
        /** RFC 4180 CSV with a header line; nulls are empty cells. */
        public String csv() {
            StringBuilder out = new StringBuilder(
                            columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(",")))
                    .append('\n');
            for (List<Object> row : rows) {
                out.append(row.stream()
                                .map(v -> v == null ? "" : quote(String.valueOf(v)))
                                .collect(Collectors.joining(",")))
                        .append('\n');
            }
            return out.toString();
        }
    }

    private SweepResults() {}

    /** The column holding the metric: {@code validation_accuracy}, {@code validation_loss}, ... */
    public static String metricColumn(SweepSpec sweep) {
        return "validation_" + sweep.metric().name().toLowerCase(Locale.ROOT);
    }

    public static Table table(SweepSpec sweep, SweepScheduler.Result result) {
        List<TrialPlan> plans = result.plans().values().stream()
                .sorted(Comparator.comparingInt(TrialPlan::id))
                .toList();
        List<String> keys = List.copyOf(sweep.space().domains().keySet());
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("trial", Type.INT, false));
        for (String key : keys) {
            // Whole numbers stay whole (a batch size of 64, not 64.0); any fraction makes the column DOUBLE.
            boolean whole = plans.stream().allMatch(p -> p.params().get(key) instanceof Integer);
            boolean numeric = plans.stream().allMatch(p -> p.params().get(key) instanceof Number);
            columns.add(new Column(key, whole ? Type.INT : numeric ? Type.DOUBLE : Type.STRING, true));
        }
        columns.add(new Column("status", Type.STRING, false));
        columns.add(new Column("epochs", Type.INT, false));
        columns.add(new Column("budget", Type.INT, false));
        columns.add(new Column(metricColumn(sweep), Type.DOUBLE, true));
        columns.add(new Column("seconds", Type.DOUBLE, false));
        columns.add(new Column("reason", Type.STRING, true));
        List<List<Object>> rows = new ArrayList<>();
        for (TrialPlan plan : plans) {
            TrialOutcome outcome = result.outcomes().get(plan.id());
            List<Object> row = new ArrayList<>();
            row.add(plan.id());
            for (int k = 0; k < keys.size(); k++) {
                Object v = plan.params().get(keys.get(k));
                row.add(
                        switch (columns.get(1 + k).type()) {
                            case INT -> v;
                            case DOUBLE -> ((Number) v).doubleValue();
                            case STRING ->
                                v instanceof String s
                                        ? s
                                        : Json.MAPPER.valueToTree(v).toString();
                        });
            }
            row.add(SpecEnums.name(outcome.status()));
            row.add(outcome.epochsRun());
            row.add(plan.epochs());
            row.add(outcome.succeeded() ? outcome.best() : null);
            row.add(outcome.seconds());
            row.add(outcome.reason());
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    /** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
    private static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\""
                : cell;
    }
}
