package io.trainyard.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.source.DataException;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.ParquetSource;
import io.trainyard.data.source.SqlExpressions;
import io.trainyard.data.split.SplitAssigner;
import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.SequenceSpec;
import io.trainyard.spec.data.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;

/**
 * Cuts long-format time series (a row per series and step) into fixed-length windows, one row per window: an array
 * of {@code window} values per input, the series and the window's last order value as ids, and the label: the next
 * {@code horizon} values of {@code data.label} (forecasting) or the label of the window's last step
 * (classification). The result reads as an ordinary spec over array columns, {@code data.shape = [inputs, window]}.
 * <p>
 * Splitting by series keys the split on the series, so a series never straddles splits. Splitting by time places
 * each window by where its targets fall in its series: targets before the 70% cut train, before the 85% cut
 * validate, after it test; a window whose targets straddle a cut is dropped, so nothing training sees lies after a
 * value validation or test is scored on.
 * <p>
 * A series is gathered into one row to be windowed: series of up to some millions of steps fit; longer ones should
 * be cut into several series first.
 */
public final class SequenceWindows {
    /** The label column of the windowed frame. */
    public static final String LABEL = "__window_label";
    /**
     * A level-free forecast's level: the forecast column's last value in the window, which its inputs and targets
     * are taken relative to and which every forecast adds back.
     */
    public static final String LEVEL = "__window_level";
    /**
     * A spread-free forecast's spread: the mean absolute change between the forecast column's steps in the window,
     * which its changes and targets are divided by and every forecast is multiplied back by.
     */
    public static final String SPREAD = "__window_spread";

    private static final String STEPS = "__steps";
    private static final String START = "__start";

    private SequenceWindows() {}

    /** A windowed source, the spec that reads it, and what a scorer needs to window new data the same way. */
    public record Windowed(Dataset<Row> frame, DataSpec data, FeaturePlan.WindowPlan plan) {}

    /** Windows a training source: resolves the inputs and whether the label is forecast, then cuts the windows. */
    public static Windowed apply(
            Dataset<Row> source,
            DataSpec data,
            Task task,
            double trainShare,
            double validationShare,
            String sourceName) {
        SequenceSpec seq = data.sequence();
        requireColumns(source, seq, sourceName);
        if (!data.id().isEmpty()) {
            throw new DataException("data.id: windows are identified by data.sequence.series and .order; "
                    + "leave data.id empty, got " + data.id());
        }
        boolean forecasting = forecasts(source, data, task);
        int span = seq.window() + (forecasting ? seq.horizon() : 0);
        Row longest = source.groupBy(col(FeatureSelector.quote(seq.series())))
                .count()
                .agg(max(col("count")))
                .first();
        if (longest.isNullAt(0) || longest.getLong(0) < span) {
            throw new DataException("data.sequence.window: the longest series in " + sourceName + " has "
                    + (longest.isNullAt(0) ? 0 : longest.getLong(0)) + " steps; a window of " + seq.window()
                    + (forecasting ? " and a horizon of " + seq.horizon() : "") + " needs " + span);
        }
        List<String> inputs = inputExpressions(source, data, forecasting, sourceName);
        int target = forecasting ? inputs.indexOf(FeatureSelector.quote(data.label())) : -1;
        FeaturePlan.WindowPlan plan = new FeaturePlan.WindowPlan(seq, inputs, target);
        Dataset<Row> windows =
                cut(source, plan, data.label(), forecasting ? seq.horizon() : 0, trainShare, validationShare);
        List<String> features = new ArrayList<>();
        for (String input : inputs) {
            features.add(FeatureSelector.quote(outputName(input, source)));
        }
        // A window's spread travels as an id through the split to the minibatches, where it converts the model's units
        // back to the label's; the model's own ids are the series and the order (modelIds).
        List<String> ids = new ArrayList<>(List.of(seq.series(), seq.order()));
        if (plan.spreadFree()) {
            ids.add(SPREAD);
        }
        DataSpec windowed = data.withSelection(features, LABEL, ids, List.of(inputs.size(), seq.window()));
        return new Windowed(windows, windowed, plan);
    }

    /** The ids a model keeps of a windowed selection's: all but the spread, which only travels to the minibatches. */
    public static List<String> modelIds(List<String> ids) {
        return ids.stream().filter(id -> !id.equals(SPREAD)).toList();
    }

    /** Windows new data as a model's training data was windowed: every full window, the latest included; no label. */
    public static Dataset<Row> forScoring(Dataset<Row> source, FeaturePlan.WindowPlan plan, String sourceName) {
        requireColumns(source, plan.sequence(), sourceName);
        return cut(source, plan, null, 0, 0, 0);
    }

    private static void requireColumns(Dataset<Row> source, SequenceSpec seq, String sourceName) {
        Set<String> columns = new HashSet<>(Arrays.asList(source.columns()));
        for (String key : List.of("series", "order")) {
            String column = key.equals("series") ? seq.series() : seq.order();
            if (!columns.contains(column)) {
                throw new DataException("data.sequence." + key + ": column '" + column + "' not found in " + sourceName
                        + " (columns: " + String.join(", ", source.columns()) + ")");
            }
        }
    }

    /**
     * One row per window: series, the window's last order value, an array per input and, when {@code label} is
     * given, the label ({@code horizon} next values, or the last step's label when {@code horizon} is 0) and, for a
     * time split, the split. A level-free forecast's column and label are differences from the column's last value
     * in the window, which is kept as {@link #LEVEL}; a spread-free one's are also divided by {@link #SPREAD}.
     */
    private static Dataset<Row> cut(
            Dataset<Row> source,
            FeaturePlan.WindowPlan plan,
            String label,
            int horizon,
            double trainShare,
            double validationShare) {
        SequenceSpec seq = plan.sequence();
        List<String> inputs = plan.inputs();
        // One struct per step, the order value first so that sorting the structs sorts the steps. The spec's
        // expressions enter as checked columns, never spliced into Trainyard's own SQL text.
        List<Column> fields = new ArrayList<>();
        fields.add(col(FeatureSelector.quote(seq.order())).as("o"));
        for (int i = 0; i < inputs.size(); i++) {
            fields.add(SqlExpressions.column("data.features", inputs.get(i), source)
                    .cast("double")
                    .as("v" + i));
        }
        if (label != null) {
            Column l = SqlExpressions.column("data.label", label, source);
            fields.add((horizon > 0 ? l.cast("double") : l).as("l"));
        }
        int span = seq.window() + horizon;
        Dataset<Row> series = source.select(
                        col(FeatureSelector.quote(seq.series())).as("s"),
                        struct(fields.toArray(Column[]::new)).as("r"))
                .groupBy("s")
                .agg(expr("array_sort(collect_list(r))").as(STEPS))
                .where(expr("size(" + STEPS + ") >= " + span));
        Dataset<Row> starts = series.withColumn(
                START, expr("explode(sequence(0, size(" + STEPS + ") - " + span + ", " + seq.stride() + "))"));

        List<Column> out = new ArrayList<>();
        out.add(col("s").as(seq.series()));
        out.add(expr("element_at(" + STEPS + ", " + START + " + " + seq.window() + ").o")
                .as(seq.order()));
        String window = "slice(" + STEPS + ", " + START + " + 1, " + seq.window() + ")";
        // The level a level-free forecast is relative to: its column's last value in the window.
        String level = plan.levelFree()
                ? "element_at(" + STEPS + ", " + START + " + " + seq.window() + ").v" + plan.target()
                : "0";
        if (plan.spreadFree()) {
            // Computed once per window, before the lambdas below read it.
            starts = starts.withColumn(SPREAD, expr(spread(window, seq.window(), plan.target())));
        }
        // The forecast column's value v as the network sees it: relative to the level, in units of the spread.
        java.util.function.UnaryOperator<String> relative =
                v -> plan.spreadFree() ? "(" + v + " - " + level + ") / " + SPREAD : v + " - " + level;
        for (int i = 0; i < inputs.size(); i++) {
            String value = i == plan.target() ? relative.apply("x.v" + i) : "x.v" + i;
            out.add(expr("transform(" + window + ", x -> " + value + ")").as(outputName(inputs.get(i), source)));
        }
        if (plan.levelFree()) {
            out.add(expr(level).as(LEVEL));
        }
        if (plan.spreadFree()) {
            out.add(col(SPREAD));
        }
        boolean timeSplit = label != null && seq.split() == SequenceSpec.SequenceSplit.TIME;
        if (label != null) {
            out.add(
                    horizon > 0
                            ? expr("transform(slice(" + STEPS + ", " + START + " + " + (seq.window() + 1) + ", "
                                            + horizon + "), x -> " + relative.apply("x.l") + ")")
                                    .as(LABEL)
                            : expr("element_at(" + STEPS + ", " + START + " + " + seq.window() + ").l")
                                    .as(LABEL));
        }
        if (timeSplit) {
            out.add(timeSplit(seq, horizon, trainShare, validationShare).as(SplitAssigner.SPLIT));
        }
        Dataset<Row> windows = starts.select(out.toArray(Column[]::new));
        return timeSplit ? windows.where(col(SplitAssigner.SPLIT).isNotNull()) : windows;
    }

    /**
     * The spread of input {@code target} over {@code window} (an array of {@code steps} step structs): the mean absolute
     * change between consecutive steps. A window without change falls back to the mean absolute value, and one of
     * zeros to 1, so no window is divided by zero; a series that stays flat for a window's length and then moves is
     * better forecast with {@code scale = window}.
     */
    static String spread(String window, int steps, int target) {
        String v = "element_at(" + window + ", i).v" + target;
        String previous = "element_at(" + window + ", i - 1).v" + target;
        String change = "aggregate(sequence(2, " + steps + "), 0D, (a, i) -> a + abs(" + v + " - " + previous + ")) / "
                + (steps - 1);
        String size = "aggregate(" + window + ", 0D, (a, s) -> a + abs(s.v" + target + ")) / " + steps;
        // Each aggregate written once (a CASE that tests and then returns one would run it twice per window).
        return "coalesce(nullif(" + change + ", 0D), nullif(" + size + ", 0D), 1D)";
    }

    /**
     * Where a window's targets fall among its series' steps decides its split: positions {@code [first, last]} of the
     * targets against the cuts at {@code round(n * train)} and {@code round(n * (train + validation))}; null (dropped)
     * when they straddle a cut.
     */
    private static Column timeSplit(SequenceSpec seq, int horizon, double train, double validation) {
        String first = START + " + " + (horizon > 0 ? seq.window() : seq.window() - 1);
        String last = first + " + " + Math.max(horizon - 1, 0);
        String n = "size(" + STEPS + ")";
        String cut1 = "round(" + n + " * " + train + ")";
        String cut2 = "round(" + n + " * " + (train + validation) + ")";
        return expr("CASE WHEN " + last + " < " + cut1 + " THEN " + SplitAssigner.TRAIN
                + " WHEN " + first + " >= " + cut1 + " AND " + last + " < " + cut2 + " THEN " + SplitAssigner.VALIDATION
                + " WHEN " + first + " >= " + cut2 + " THEN " + SplitAssigner.TEST + " END");
    }

    /** Forecasting when the task says regression, or, left to auto, when the label is floating point. */
    private static boolean forecasts(Dataset<Row> source, DataSpec data, Task task) {
        if (task != Task.AUTO) {
            return task == Task.REGRESSION;
        }
        DataType type = labelType(source, data);
        return type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType;
    }

    private static DataType labelType(Dataset<Row> source, DataSpec data) {
        Column checked = SqlExpressions.column("data.label", data.label(), source);
        try {
            return source.select(checked).schema().fields()[0].dataType();
        } catch (Exception e) {
            throw new DataException("data.label: '" + data.label() + "' is neither a column nor a valid SQL "
                    + "expression: " + ParquetSource.firstLine(e));
        }
    }

    /**
     * The inputs of a step: {@code data.features}, or every numeric or boolean column but the series, order, ignored
     * and label columns (a forecast's label is an input too: its history is what the forecast continues).
     */
    private static List<String> inputExpressions(
            Dataset<Row> source, DataSpec data, boolean forecasting, String sourceName) {
        SequenceSpec seq = data.sequence();
        Set<String> columns = new HashSet<>(Arrays.asList(source.columns()));
        List<String> entries = data.features();
        if (entries.isEmpty()) {
            Set<String> excluded = new HashSet<>(data.ignore());
            excluded.add(seq.series());
            excluded.add(seq.order());
            if (!forecasting) {
                excluded.add(data.label());
                excluded.addAll(FeatureSelector.referencedColumns(source, "data.label", data.label()));
            }
            entries = new ArrayList<>();
            for (var field : source.schema().fields()) {
                if (!excluded.contains(field.name()) && numeric(field.dataType())) {
                    entries.add(field.name());
                }
            }
            if (entries.isEmpty()) {
                throw new DataException("data.features: " + sourceName + " has no numeric columns to window besides "
                        + "data.sequence.series and .order");
            }
        }
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            String e = FeatureSelector.columnOrExpression(entry, columns);
            Column checked = SqlExpressions.column("data.features", e, columns);
            DataType type;
            try {
                type = source.select(checked).schema().fields()[0].dataType();
            } catch (Exception ex) {
                throw new DataException("data.features: '" + entry + "' is neither a column of " + sourceName
                        + " nor a valid SQL expression: " + ParquetSource.firstLine(ex));
            }
            if (!numeric(type)) {
                throw new DataException("data.features: '" + entry + "' has type " + type.simpleString()
                        + "; windowed series take numeric or boolean inputs");
            }
            out.add(e);
        }
        return out;
    }

    private static boolean numeric(DataType type) {
        return type instanceof NumericType || type instanceof BooleanType;
    }

    private static String outputName(String expression, Dataset<Row> source) {
        return FeatureSelector.select(source, "data.features", List.of(expression))
                .schema()
                .fields()[0]
                .name();
    }
}
