package io.trainyard.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.DataPreparer;
import io.trainyard.evaluate.Metrics;
import io.trainyard.family.NetworkFamily;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.job.TrainJob;
import io.trainyard.run.ExitCode;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression and binary classification train end to end; scoring flags rows it cannot take. */
class TaskVarietyIT {
    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
    }

    /** Mann-Whitney AUC: the chance a random positive scores above a random negative (ties count half). */
    private static double rankAuc(List<Row> scoreAndLabel) {
        long pairs = 0;
        double wins = 0;
        for (Row p : scoreAndLabel) {
            if (!p.getBoolean(1)) {
                continue;
            }
            for (Row n : scoreAndLabel) {
                if (n.getBoolean(1)) {
                    continue;
                }
                pairs++;
                int c = Double.compare(p.getDouble(0), n.getDouble(0));
                wins += c > 0 ? 1 : c == 0 ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }

    @Test
    void regressionReportsErrorMetricsAndApproachesTheNoiseFloor() {
        Path data = GenerateJob.run(spark, Generators.byName("regression"), dir.resolve("reg"), 20_000, 8);
        NetworkFamily.Tested outcome = TrainJob.run(
                        spark,
                        TestSpecs.spec(
                                data.toString(),
                                "target",
                                "data.id=[row_id]",
                                "data.nulls=impute",
                                "model.hidden=[64, 64]",
                                "train.epochs=25",
                                "train.batch-size=128",
                                "train.learning-rate=0.005"),
                        dir.resolve("run-reg"))
                .result(NetworkFamily.Tested.class);
        Metrics test = outcome.test();
        assertNotNull(test.mse());
        assertEquals(Math.sqrt(test.mse()), test.rmse(), 1e-9);
        // Best achievable MSE is 0.25 (noise sd 0.5); the target's variance is several times that.
        assertTrue(test.r2() > 0.8, "R^2 " + test.r2());
        assertTrue(test.mse() < 0.5, "MSE " + test.mse());
    }

    @Test
    void binaryClassificationReportsAucAndScoringFlagsRowsItCannotTake() {
        Path base = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("cls"), 6_000, 9);
        // Binary label from an expression (its column is then no feature); rows with nulls are dropped in training.
        JobSpec spec = TestSpecs.spec(
                base.toString(),
                "outcome = 'churn'",
                "data.id=[customer_id]",
                "data.nulls=drop",
                "train.epochs=8",
                "train.learning-rate=0.01");
        NetworkFamily.Tested outcome =
                TrainJob.run(spark, spec, dir.resolve("run-bin")).result(NetworkFamily.Tested.class);
        Double auc = outcome.test().auc();
        assertNotNull(auc);
        // Churn against the rest of the classification generator (label noise 10%): a trained model ranks well above
        // chance (0.5), and a perfect ranking (1.0) is allowed.
        assertTrue(auc >= 0.8 && auc <= 1.0, "AUC " + auc);
        assertEquals(2, outcome.test().perClass().size());
        // The reported AUC is the rank statistic of the saved model's scores on the test rows.
        Path all = dir.resolve("scored-all");
        assertEquals(
                ExitCode.OK,
                CapturedRun.of(
                                "predict",
                                "--model",
                                dir.resolve("run-bin/model").toString(),
                                "--input",
                                base.toString(),
                                "--out",
                                all.toString())
                        .exitCode());
        Dataset<Row> test =
                DataPreparer.splitMembership(spark, spec).where(col("split").equalTo("test"));
        List<Row> scoredTest = spark.read()
                .parquet(all.toString())
                .join(test, "customer_id")
                .join(spark.read().parquet(base.toString()).select("customer_id", "outcome"), "customer_id")
                .select(col("probability_true"), col("outcome").equalTo("churn"))
                .collectAsList();
        assertEquals(outcome.test().examples(), scoredTest.size());
        assertEquals(rankAuc(scoredTest), auc, 1e-4);

        Path input = dir.resolve("to-score");
        spark.read()
                .parquet(base.toString())
                .limit(500)
                .withColumn(
                        "noise",
                        when(col("customer_id").mod(5).equalTo(0), lit(null)).otherwise(col("noise")))
                .write()
                .parquet(input.toString());
        Path out = dir.resolve("scored");
        CapturedRun run = CapturedRun.of(
                "predict",
                "--model",
                dir.resolve("run-bin/model").toString(),
                "--input",
                input.toString(),
                "--out",
                out.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(500, scored.count());
        long flagged = scored.where(col("valid").equalTo(false)).count();
        // Trained with data.nulls = drop, the model has no fill value for any input: a null anywhere is flagged.
        assertEquals(
                spark.read()
                        .parquet(input.toString())
                        .where(col("noise").isNull().or(col("channel").isNull()))
                        .count(),
                flagged);
        assertTrue(flagged >= 100, "every fifth row lost its noise value");
        assertEquals(flagged, scored.where(col("prediction").isNull()).count());
        Row any = scored.where(col("valid")).first();
        assertEquals(1.0, any.<Double>getAs("probability_false") + any.<Double>getAs("probability_true"), 1e-6);

        CapturedRun refused = CapturedRun.of(
                "predict",
                "--model",
                dir.resolve("run-bin/model").toString(),
                "--input",
                input.toString(),
                "--out",
                dir.resolve("refused").toString(),
                "--invalid",
                "fail");
        assertEquals(ExitCode.BAD_INPUT, refused.exitCode(), refused.err());
        assertTrue(refused.errorLine().startsWith("predict: " + flagged + " rows of "), refused.errorLine());
    }
}
