package io.trainyard.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.source.SparkSeqs;
import io.trainyard.data.split.SplitCounts;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.data.NormalizeMethod;
import io.trainyard.spec.data.Task;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Train-only fitting, encoding and task handling on real Parquet and local Spark. */
class PreparationIT {
    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
    }

    @Test
    void statisticsComeFromTheTrainSplitOnly() {
        Path data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("cls"), 8_000, 3);
        // Membership depends on the id alone, so changing values of validation and test rows cannot move rows.
        String[] overrides = {"data.id=[customer_id]", "split.key=[customer_id]", "data.nulls=impute"};
        JobSpec spec = TestSpecs.spec(data.toString(), "outcome", overrides);
        Dataset<Row> heldOut =
                DataPreparer.splitMembership(spark, spec).where(col("split").notEqual("train"));
        Dataset<Row> altered = spark.read()
                .parquet(data.toString())
                .join(
                        heldOut.withColumn("held", lit(true)).select("customer_id", "held"),
                        SparkSeqs.of("customer_id"),
                        "left")
                .withColumn(
                        "income",
                        when(col("held"), col("income").multiply(1000)).otherwise(col("income")))
                .withColumn("segment", when(col("held"), lit("never-seen")).otherwise(col("segment")))
                .withColumn("noise", when(col("held"), lit(null).cast("double")).otherwise(col("noise")))
                .drop("held");
        Path alteredPath = dir.resolve("altered");
        altered.write().parquet(alteredPath.toString());
        JobSpec alteredSpec = TestSpecs.spec(alteredPath.toString(), "outcome", overrides);
        try (PreparedData a = DataPreparer.prepare(spark, spec, true);
                PreparedData b = DataPreparer.prepare(spark, alteredSpec, true)) {
            assertEquals(a.normalizer(), b.normalizer());
            assertEquals(a.plan().inputs(), b.plan().inputs());
            assertEquals(a.manifest().strata(), b.manifest().strata());
            assertTrue(a.plan().inputs().stream()
                    .noneMatch(i -> i.categorical() && i.categories().contains("never-seen")));
        }
    }

    @Test
    void encodedMinibatchesEqualTheRowsTheyCameFrom() {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("flag", DataTypes.BooleanType)
                .add("color", DataTypes.StringType)
                .add("y", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        String[] colors = {"red", "green", "blue", "violet"};
        for (long i = 0; i < 500; i++) {
            Double x = i % 50 == 7 ? null : i * 0.37 - 40;
            rows.add(RowFactory.create(
                    i, x, i % 3 == 0, colors[(int) (i % 7 == 0 ? 3 : i % 3)], i % 4 == 0 ? "pos" : "neg"));
        }
        Path path = dir.resolve("small");
        spark.createDataFrame(rows, schema).write().parquet(path.toString());
        JobSpec spec = TestSpecs.spec(
                path.toString(),
                "y",
                "data.id=[id]",
                "data.nulls=impute",
                "data.max-categories=3",
                "train.batch-size=32",
                "normalize=minmax");
        try (PreparedData prepared = DataPreparer.prepare(spark, spec, false)) {
            FeaturePlan plan = prepared.plan();
            NormalizerStats stats = prepared.normalizer();
            assertEquals(NormalizeMethod.MINMAX, stats.method());
            assertEquals(List.of("neg", "pos"), plan.classes());
            assertEquals(2 + 4, plan.inputWidth());
            ModelInput x = plan.inputs().get(0);
            ModelInput color = plan.inputs().get(2);
            assertEquals(java.util.Set.of("green", "blue", "red"), new java.util.HashSet<>(color.categories()));
            List<String> expected = new ArrayList<>();
            for (Row r : rows) {
                float[] v = new float[plan.inputWidth()];
                double xv = r.isNullAt(1) ? x.impute() : r.getDouble(1);
                v[0] = (float) stats.apply(0, xv);
                v[1] = (float) stats.apply(1, r.getBoolean(2) ? 1 : 0);
                int slot = color.categories().indexOf(r.getString(3));
                v[color.offset() + (slot < 0 ? color.categories().size() : slot)] = 1f;
                float[] label = r.getString(4).equals("pos") ? new float[] {0, 1} : new float[] {1, 0};
                expected.add(Arrays.toString(v) + Arrays.toString(label));
            }
            List<String> actual = new ArrayList<>();
            for (List<DataSet> split : List.of(
                    prepared.train().collect(),
                    prepared.validation().collect(),
                    prepared.test().collect())) {
                for (DataSet ds : split) {
                    assertTrue(ds.numExamples() <= 32);
                    for (int i = 0; i < ds.numExamples(); i++) {
                        actual.add(Arrays.toString(ds.getFeatures().getRow(i).toFloatVector())
                                + Arrays.toString(ds.getLabels().getRow(i).toFloatVector()));
                    }
                }
            }
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual);
        }
    }

    @Test
    void floatingLabelIsRegressionAndSplitIsUnstratified() {
        Path data = GenerateJob.run(spark, Generators.byName("regression"), dir.resolve("reg"), 5_000, 4);
        JobSpec spec = TestSpecs.spec(data.toString(), "target", "data.id=[row_id]", "data.nulls=drop");
        try (PreparedData prepared = DataPreparer.prepare(spark, spec, true)) {
            assertEquals(Task.REGRESSION, prepared.plan().task());
            assertFalse(prepared.manifest().stratified());
            SplitCounts total = prepared.manifest().total();
            long n = total.total();
            assertEquals(5_000 - prepared.manifest().droppedRows(), n);
            assertTrue(prepared.manifest().droppedRows() > 0, "x3 has nulls, so drop removes rows");
            assertEquals(Math.round(n * 0.70), total.train());
            assertEquals(1, prepared.encoder().labelWidth());
            for (DataSet ds : prepared.train().collect()) {
                for (float f : ds.getFeatures().dup().data().asFloat()) {
                    assertTrue(Float.isFinite(f));
                }
            }
        }
    }

    @Test
    void integerLabelWithFewValuesIsClassification() {
        Dataset<Row> frame = spark.range(0, 300).selectExpr("id", "CAST(id % 3 AS INT) AS k", "rand(1) AS x");
        Path path = dir.resolve("intlabel");
        frame.write().parquet(path.toString());
        try (PreparedData prepared =
                DataPreparer.prepare(spark, TestSpecs.spec(path.toString(), "k", "data.id=[id]"), true)) {
            assertEquals(Task.CLASSIFICATION, prepared.plan().task());
            assertEquals(List.of("0", "1", "2"), prepared.plan().classes());
        }
    }

    @Test
    void sqlExpressionsServeAsLabelAndFeatures() {
        Path data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("expr"), 2_000, 5);
        JobSpec spec = TestSpecs.spec(
                data.toString(),
                "outcome = 'churn'",
                "data.features=[score_a, \"hour(signup_ts) AS h\", " + "\"log(income) AS log_income\"]");
        try (PreparedData prepared = DataPreparer.prepare(spark, spec, true)) {
            assertEquals(List.of("false", "true"), prepared.plan().classes());
            assertEquals(
                    List.of("score_a", "h", "log_income"),
                    prepared.plan().inputs().stream().map(ModelInput::name).toList());
            assertEquals(1, prepared.encoder().labelWidth());
        }
    }
}
