package io.trainyard.data.features;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.dayofyear;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.minute;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import io.trainyard.data.source.Columns;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.SelectedFeature;
import io.trainyard.data.source.SqlExpressions;
import io.trainyard.data.split.OrderedSplit;
import io.trainyard.data.split.SplitAssigner;
import io.trainyard.run.UserInputException;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.data.TimestampPart;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;

/**
 * The Spark SQL columns of the feature pipeline, shared by preparation and scoring so both apply one plan:
 * stage 1 selects label, features, ids and keys from the source; stage 2 derives raw model inputs (scalars as
 * doubles with NaN and infinities turned into nulls, categoricals as strings); stage 3 imputes, normalises and
 * indexes them with fitted values. Everything stays in Spark's generated code until the minibatch encoder.
 */
public final class FeatureTransforms {
    private FeatureTransforms() {}

    /**
     * Stage 1: label (when given), features by name, ids by name, split keys as {@code __key_i}, the split when
     * the source already carries one (windows split by time), and the order position of an ordered split.
     */
    public static Dataset<Row> select(
            Dataset<Row> source,
            String labelExpression,
            List<SelectedFeature> features,
            List<String> id,
            List<String> keyExpressions) {
        List<Column> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (labelExpression != null) {
            columns.add(SqlExpressions.column("data.label", labelExpression, source));
            names.add(Columns.LABEL);
        }
        for (SelectedFeature f : features) {
            SqlExpressions.checkName("data.features", f.name());
            columns.add(withLengthCheck(SqlExpressions.column("data.features", f.expression(), source), f, source));
            names.add(f.name());
        }
        for (String i : id) {
            SqlExpressions.checkName("data.id", i);
            columns.add(col(FeatureSelector.quote(i)));
            names.add(i);
        }
        for (int k = 0; k < keyExpressions.size(); k++) {
            columns.add(SqlExpressions.column("split.key", keyExpressions.get(k), source));
            names.add(Columns.KEY_PREFIX + k);
        }
        for (String carried : List.of(SplitAssigner.SPLIT, OrderedSplit.POSITION)) {
            if (List.of(source.columns()).contains(carried)) {
                columns.add(col(carried));
                names.add(carried);
            }
        }
        return source.select(columns.toArray(Column[]::new)).toDF(names.toArray(String[]::new));
    }

    /** An array's first element, failing the job with the feature's one-line error when a row's array is too short or long. */
    private static Column withLengthCheck(Column element, SelectedFeature f, Dataset<Row> source) {
        SelectedFeature.ArrayLength check = f.arrayLength();
        if (check == null) {
            return element;
        }
        Column array = SqlExpressions.column("data.features", check.array(), source);
        return when(array.isNull().or(size(array).equalTo(check.length())), element)
                .otherwise(raise_error(lit(UserInputException.sqlCheckMessage(check.message()))));
    }

    /** The model inputs a selection produces, before fitting (no offsets, categories or impute values yet). */
    public static List<ModelInput> unfittedInputs(List<SelectedFeature> features, List<TimestampPart> parts) {
        List<ModelInput> out = new ArrayList<>();
        for (SelectedFeature f : features) {
            switch (f.kind()) {
                case NUMERIC, BOOLEAN ->
                    out.add(new ModelInput(f.name(), f.name(), false, null, null, null, null, 0, 1));
                case TIMESTAMP -> {
                    for (TimestampPart p : parts) {
                        String name = f.name() + "_" + p.name().toLowerCase(java.util.Locale.ROOT);
                        out.add(new ModelInput(name, f.name(), false, p, null, null, null, 0, 1));
                    }
                }
                case CATEGORICAL -> out.add(new ModelInput(f.name(), f.name(), true, null, null, null, null, 0, 0));
                // Text columns are one input together, fitted into a TextPlan.
                case TEXT -> {}
                default -> throw new IllegalStateException("unhandled " + f.kind());
            }
        }
        return out;
    }

    /** Stage-2 column name of the i-th scalar input. */
    public static String scalarName(int i) {
        return "__s" + i;
    }

    /** Stage-2 column name of the j-th categorical input. */
    public static String categoricalName(int j) {
        return "__c" + j;
    }

    /**
     * Stage 2: appends {@code __s<i>} for scalar inputs and {@code __c<j>} for categorical inputs (in input order),
     * and {@link Columns#Y} when the frame has a label.
     */
    public static Dataset<Row> derive(
            Dataset<Row> selected, List<SelectedFeature> features, List<ModelInput> inputs, Task task) {
        return derive(selected, features, inputs, task, null, false);
    }

    /**
     * As {@link #derive(Dataset, List, List, Task)}, and with {@code text} set, the row's tokens as
     * {@link TextPlan#TOKENS} (null text columns read as empty when {@code nullAsEmpty}).
     */
    public static Dataset<Row> derive(
            Dataset<Row> selected,
            List<SelectedFeature> features,
            List<ModelInput> inputs,
            Task task,
            io.trainyard.spec.data.TextSpec text,
            boolean nullAsEmpty) {
        List<Column> columns = new ArrayList<>();
        columns.add(col("*"));
        if (text != null && text.enabled()) {
            columns.add(TextPlan.tokens(text, nullAsEmpty).as(TextPlan.TOKENS));
        }
        int s = 0;
        int c = 0;
        for (ModelInput in : inputs) {
            SqlExpressions.checkName("data.features", in.feature());
            Column source = col(FeatureSelector.quote(in.feature()));
            if (in.categorical()) {
                columns.add(source.cast("string").as(categoricalName(c++)));
            } else if (in.part() != null) {
                columns.add(timestampPart(in.part(), source).cast("double").as(scalarName(s++)));
            } else {
                columns.add(finiteOrNull(source.cast("double")).as(scalarName(s++)));
            }
        }
        if (task != null && List.of(selected.columns()).contains(Columns.LABEL)) {
            Column label = col(Columns.LABEL);
            boolean values = selected.schema().apply(Columns.LABEL).dataType() instanceof ArrayType;
            columns.add((values
                            ? finiteOrNullValues(label)
                            : task == Task.REGRESSION ? finiteOrNull(label.cast("double")) : label.cast("string"))
                    .as(Columns.Y));
        }
        return selected.select(columns.toArray(Column[]::new));
    }

    /**
     * A part of a timestamp or date column, built with Spark's functions API: no SQL text is made from the column's
     * name, so nothing in it (a quote, {@code ${...}}) can reach a parser.
     */
    public static Column timestampPart(TimestampPart part, Column source) {
        return switch (part) {
            case HOUR -> hour(source);
            case MINUTE -> minute(source);
            case DAY_OF_WEEK -> dayofweek(source);
            case DAY_OF_MONTH -> dayofmonth(source);
            case DAY_OF_YEAR -> dayofyear(source);
            case MONTH -> month(source);
            case YEAR -> year(source);
        };
    }

    /** NaN and infinities count as nulls: they are never passed to training. */
    static Column finiteOrNull(Column d) {
        return when(
                        isnan(d).or(d.equalTo(Double.POSITIVE_INFINITY)).or(d.equalTo(Double.NEGATIVE_INFINITY)),
                        lit(null).cast("double"))
                .otherwise(d);
    }

    /** An array label (a forecast's targets) as doubles; null when any value is null, NaN or infinite. */
    static Column finiteOrNullValues(Column values) {
        Column d = values.cast("array<double>");
        return when(
                        exists(d, x -> x.isNull().or(isnan(x)).or(abs(x).equalTo(Double.POSITIVE_INFINITY))),
                        lit(null).cast("array<double>"))
                .otherwise(d);
    }

    /** Stage 3 for a scalar: impute (when fitted with a value), normalise, as float. */
    public static Column encodedScalar(int i, ModelInput in, NormalizerStats stats) {
        Column x = col(scalarName(i));
        if (in.impute() != null) {
            x = coalesce(x, lit(in.impute()));
        }
        return x.minus(lit(stats.center().get(i)))
                .divide(lit(stats.scale().get(i)))
                .cast("float");
    }

    /** Stage 3 for a categorical: the slot index, {@code categories.size()} for rare and unseen values. */
    public static Column categoryIndex(int j, ModelInput in) {
        Column x = col(categoricalName(j));
        if (in.imputeCategory() != null) {
            x = coalesce(x, lit(in.imputeCategory()));
        }
        return indexIn(x, in.categories(), in.categories().size());
    }

    /** The class index of a stage-2 label string; -1 for a class the plan does not know. */
    public static Column classIndex(List<String> classes) {
        return indexIn(col(Columns.Y), classes, -1);
    }

    /** 0-based position of {@code x} in {@code values}, or {@code missing} when absent or null. */
    private static Column indexIn(Column x, List<String> values, int missing) {
        if (values.isEmpty()) {
            return lit(missing);
        }
        Column literal = array(values.stream().map(v -> lit(v)).toArray(Column[]::new));
        Column position = array_position(literal, x).cast("int");
        return when(position.isNull().or(position.equalTo(0)), lit(missing)).otherwise(position.minus(1));
    }
}
