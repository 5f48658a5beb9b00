package io.trainyard.train;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.TrendGenerator;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.Predictions;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels far from zero, as users' are: a monthly series in the hundreds and prices around 1,000. Standardised for
 * training, they come within a stated factor of the generators' known optima, and every metric and prediction is in
 * the label's own units (checked by hand from predict's output).
 */
class TargetScalingIT {
    /** How far from the known optimum a scaled target may end, in the metric's own terms (MAE, MSE). */
    private static final double FACTOR = 2.0;

    @TempDir
    static Path dir;

    private static JsonNode train(Path spec, Path out, String... overrides) throws Exception {
        CapturedRun run = CapturedRun.train(spec, out, overrides);
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        return Json.MAPPER.readTree(out.resolve(RunFiles.METRICS).toFile());
    }

    /** On the global scale (levels learned): the level-free default is ForecastIT's. */
    @Test
    void aForecastOfASeriesInTheHundredsComesNearTheBestAndBeatsRepeatingTheLastValue() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path data =
                GenerateJob.run(spark, Generators.byName("trend"), dir.resolve("trend"), 48L * TrendGenerator.STEPS, 3);
        Path spec = Files.writeString(
                dir.resolve("trend.conf"),
                "name = trend\ntask = regression\ndata { path = \""
                        + data
                        + "\", label = value, sequence { series = series_id, order = month, window = 24, horizon = 1, "
                        + "split = time, scale = global } }\nmodel { type = rnn, cell = lstm, hidden = [32] }\ntrain { epochs = 12, "
                        + "batch-size = 64, learning-rate = 0.005, early-stopping.patience = 4 }\n");
        Path out = dir.resolve("trend-run");
        JsonNode metrics = train(spec, out);
        double best = TrendGenerator.NOISE_SD * Math.sqrt(2 / Math.PI);
        double mae = metrics.get("test").get("mae").asDouble();
        double naive = metrics.get("test_baseline").get("repeat_last_value_mae").asDouble();
        assertTrue(mae <= FACTOR * best, "test mae " + mae + " against the best " + best);
        // Repeating the last value pays at least twice the noise (sqrt(2) times the best MAE) and the month's change.
        assertTrue(naive >= Math.sqrt(2) * best, "naive mae " + naive);
        assertTrue(mae <= naive - best, "test mae " + mae + " against repeating the last value's " + naive);
        JsonNode target = Json.MAPPER
                .readTree(out.resolve("model/feature-plan.json").toFile())
                .get("target");
        assertTrue(target.get("center").asDouble() > 300, target.toString());

        // Forecasts of new series come out in the series' own units.
        CapturedRun predicted = CapturedRun.of(
                "predict",
                "--model",
                out.resolve("model").toString(),
                "--input",
                data.toString(),
                "--out",
                dir.resolve("trend-predictions").toString());
        assertEquals(ExitCode.OK, predicted.exitCode(), predicted.err());
        Row range = spark.read()
                .parquet(dir.resolve("trend-predictions").toString())
                .agg(min("prediction"), max("prediction"))
                .first();
        Row actual = spark.read()
                .parquet(data.toString())
                .agg(min("value"), max("value"))
                .first();
        assertTrue(
                range.getDouble(0) > actual.getDouble(0) - 10 && range.getDouble(1) < actual.getDouble(1) + 10,
                range + " outside " + actual);
    }

    @Test
    void pricesAroundAThousandComeNearTheBestWithMetricsInTheirOwnUnits() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path data = GenerateJob.run(spark, Generators.byName("prices"), dir.resolve("prices"), 10_000, 4);
        String hocon =
                "name = prices\ntask = regression\ndata { path = \"" + data + "\", label = target, id = [row_id], "
                        + "nulls = impute }\nmodel.hidden = [64, 32]\ntrain { epochs = 40, batch-size = 64, "
                        + "learning-rate = 0.003, early-stopping.patience = 6 }\n";
        Path spec = Files.writeString(dir.resolve("prices.conf"), hocon);
        Path out = dir.resolve("prices-run");
        JsonNode test = train(spec, out).get("test");
        double bestMse = (double) Generators.byName("prices").optimum().get("best_mse");
        assertEquals(625.0, bestMse, 1e-9);
        assertTrue(test.get("mse").asDouble() <= FACTOR * bestMse, "test mse " + test.get("mse"));

        // Every reported metric, recomputed by hand from the residuals of predict's output on the test split.
        JobSpec job = SpecLoader.load(spec, List.of());
        Dataset<Row> scored = Predictions.onTestSplit(
                spark, job, out.resolve("model"), data, dir.resolve("prices-predictions"), "row_id", "target");
        assertEquals(test.get("examples").asLong(), scored.count());
        Dataset<Row> residuals =
                scored.select(col("prediction").minus(col("label")).as("e"), col("label"));
        Row r = residuals.agg(avg(pow(col("e"), 2)), avg(abs(col("e")))).first();
        double meanLabel = scored.agg(avg("label")).first().getDouble(0);
        double variance =
                scored.agg(avg(pow(col("label").minus(meanLabel), 2))).first().getDouble(0);
        assertEquals(r.getDouble(0), test.get("mse").asDouble(), 1e-4 * r.getDouble(0));
        assertEquals(r.getDouble(1), test.get("mae").asDouble(), 1e-4 * r.getDouble(1));
        assertEquals(Math.sqrt(r.getDouble(0)), test.get("rmse").asDouble(), 1e-4 * Math.sqrt(r.getDouble(0)));
        assertEquals(1 - r.getDouble(0) / variance, test.get("r2").asDouble(), 1e-4);
    }
}
