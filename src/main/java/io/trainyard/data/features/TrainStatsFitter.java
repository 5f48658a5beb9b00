package io.trainyard.data.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import io.trainyard.data.source.Columns;
import io.trainyard.data.source.DataException;
import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.NormalizeMethod;
import io.trainyard.spec.data.NullPolicy;
import io.trainyard.spec.data.TextSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Learns everything that depends on data values from the train split only: category vocabularies, impute values
 * and normaliser statistics. One aggregation for all scalar inputs, one for all categorical inputs.
 */
public final class TrainStatsFitter {
    private TrainStatsFitter() {}

    /** Inputs with offsets, widths, categories and impute values filled in, and the normaliser. */
    public record Fitted(List<ModelInput> inputs, NormalizerStats normalizer, int inputWidth) {}

    public static Fitted fit(Dataset<Row> train, List<ModelInput> unfitted, DataSpec data, NormalizeMethod method) {
        return fit(unfitted, scalarMoments(train, unfitted), vocabularies(train, unfitted, data), data, method);
    }

    /**
     * The fit from what the train split gave: the moments of each scalar input and the vocabulary of each
     * categorical one, in input order.
     */
    public static Fitted fit(
            List<ModelInput> unfitted,
            List<ColumnMoments> moments,
            List<List<String>> vocabularies,
            DataSpec data,
            NormalizeMethod method) {
        boolean impute = data.nulls() == NullPolicy.IMPUTE;
        List<ModelInput> fitted = new ArrayList<>();
        int offset = 0;
        int s = 0;
        int c = 0;
        for (ModelInput in : unfitted) {
            if (in.categorical()) {
                List<String> categories = vocabularies.get(c++);
                String imputeCategory = impute && !categories.isEmpty() ? categories.get(0) : null;
                int width = categories.size() + 1;
                fitted.add(new ModelInput(
                        in.name(), in.feature(), true, null, null, categories, imputeCategory, offset, width));
                offset += width;
            } else {
                ColumnMoments m = moments.get(s++);
                if (m.nonNull() == 0) {
                    throw new DataException(
                            "data.features: column '" + in.name() + "' has no values in the train split");
                }
                fitted.add(new ModelInput(
                        in.name(), in.feature(), false, in.part(), impute ? m.mean() : null, null, null, offset, 1));
                offset += 1;
            }
        }
        return new Fitted(fitted, Normalizer.fit(method, moments, impute), offset);
    }

    /**
     * How a regression label is standardised: a forecast of its own history takes the statistics of that history's
     * last input when the inputs are normalised (so the scaled last value and the scaled target share one scale and
     * "the same as last time" stays an easy function to learn); any other label gets the mean and standard deviation
     * of its train-split values (every target of a multi-step forecast pooled).
     */
    public static TargetScale fitTarget(Dataset<Row> train, FeaturePlan plan, NormalizerStats normalizer) {
        int history = plan.lastObservedInput();
        if (history >= 0 && normalizer.method() != NormalizeMethod.NONE) {
            return TargetScale.of(
                    normalizer.center().get(history), normalizer.scale().get(history));
        }
        Column y = col(Columns.Y);
        Dataset<Row> values = train.schema().apply(Columns.Y).dataType() instanceof org.apache.spark.sql.types.ArrayType
                ? train.select(explode(y).as("v"))
                : train.select(y.as("v"));
        Row m = values.agg(
                        org.apache.spark.sql.functions.avg(col("v").cast("double")),
                        org.apache.spark.sql.functions.stddev_pop(col("v").cast("double")))
                .first();
        return targetScale(m.isNullAt(0) ? null : m.getDouble(0), m.isNullAt(1) ? 0 : m.getDouble(1));
    }

    /** A label's scale from the mean and population standard deviation of its train values (null: none). */
    public static TargetScale targetScale(Double mean, double deviation) {
        if (mean == null) {
            throw new DataException("data.label: the train split holds no label values to standardise");
        }
        return TargetScale.of(mean, deviation);
    }

    /**
     * The text's vocabulary from the train split's tokens: the {@code vocabulary} most frequent tokens seen at least
     * {@code min-count} times (ties broken by token, so it is deterministic), counted in one aggregation with each
     * token's document frequency (TF-IDF's).
     *
     * @param documents the train split's rows, each a document (the null policy has dropped or refused rows whose text
     *                  is null, or read it as empty): known from the split, so not counted again here
     * @param offset    where the text's slots begin in the input vector
     */
    public static TextPlan fitText(
            Dataset<Row> train,
            long documents,
            TextSpec spec,
            TextPlan.Layout layout,
            boolean nullAsEmpty,
            int offset) {
        Dataset<Row> docs = train.select(col(TextPlan.TOKENS).as("t")).where(col("t").isNotNull());
        Dataset<Row> counts = docs.withColumn("doc", monotonically_increasing_id())
                .select(col("doc"), explode(col("t")).as("token"))
                .where(col("token").notEqual(TextPlan.SEPARATOR_TOKEN))
                .groupBy("token")
                .agg(count(lit(1)).as("tf"), countDistinct("doc").as("df"))
                .where(col("tf").geq(spec.minCount()))
                .orderBy(col("tf").desc(), col("token").asc())
                .limit(spec.vocabulary());
        List<String> vocabulary = new ArrayList<>();
        List<Long> documentFrequency = new ArrayList<>();
        for (Row r : counts.collectAsList()) {
            vocabulary.add(r.getString(0));
            documentFrequency.add(r.getLong(2));
        }
        if (vocabulary.isEmpty()) {
            throw new DataException("data.text.columns: the train split holds no token seen data.text.min-count = "
                    + spec.minCount() + " times in " + String.join(", ", spec.columns()));
        }
        List<Double> idf = null;
        if (layout == TextPlan.Layout.BAG && spec.weighting() == TextSpec.Weighting.TFIDF) {
            idf = new ArrayList<>();
            for (long df : documentFrequency) {
                // scikit-learn's smoothed idf: as if one more document held every token once.
                idf.add(Math.log((1.0 + documents) / (1.0 + df)) + 1.0);
            }
            idf.add(1.0);
        }
        int width = layout == TextPlan.Layout.BAG ? vocabulary.size() + 1 : spec.maxLength();
        return new TextPlan(spec, layout, nullAsEmpty, vocabulary, idf, documents, offset, width);
    }

    private static List<ColumnMoments> scalarMoments(Dataset<Row> train, List<ModelInput> inputs) {
        List<String> names = inputs.stream()
                .filter(i -> !i.categorical())
                .map(ModelInput::name)
                .toList();
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            columns.add(FeatureTransforms.scalarName(i));
        }
        ColumnScan.Partial scan = ColumnScan.scan(train, columns, List.of());
        List<ColumnMoments> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(scan.moments(i, names.get(i)));
        }
        return out;
    }

    /** For each categorical input: values seen at least min-category-count times, the most frequent max-categories. */
    private static List<List<String>> vocabularies(Dataset<Row> train, List<ModelInput> inputs, DataSpec data) {
        int categoricals = (int) inputs.stream().filter(ModelInput::categorical).count();
        List<List<String>> out = new ArrayList<>();
        for (int j = 0; j < categoricals; j++) {
            out.add(new ArrayList<>());
        }
        if (categoricals == 0) {
            return out;
        }
        List<Column> pairs = new ArrayList<>();
        for (int j = 0; j < categoricals; j++) {
            pairs.add(struct(
                    lit(j).as("input"),
                    col(FeatureTransforms.categoricalName(j)).as("value")));
        }
        Dataset<Row> counts = train.select(
                        explode(array(pairs.toArray(Column[]::new))).as("p"))
                .select(col("p.input").as("input"), col("p.value").as("value"))
                .where(col("value").isNotNull())
                .groupBy("input", "value")
                .count()
                .where(col("count").geq(data.minCategoryCount()));
        // Most frequent first; ties broken by value so the vocabulary is deterministic.
        Dataset<Row> top = counts.withColumn(
                        "rank",
                        row_number()
                                .over(Window.partitionBy("input")
                                        .orderBy(
                                                col("count").desc(),
                                                col("value").asc())))
                .where(col("rank").leq(data.maxCategories()))
                .orderBy("input", "rank");
        for (Row r : top.collectAsList()) {
            out.get(r.getInt(0)).add(r.getString(1));
        }
        return out;
    }
}
