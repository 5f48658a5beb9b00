package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.generate.ClimbGenerator;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A series that climbs out of its own past (the {@code climb} generator: one monthly series of 741 months, split in
 * time, every test month above every training month) is forecast level-free by default: near the generator's best,
 * far below repeating the last value, with forecasts in the series' own units. The baselines and MASE in
 * {@code metrics.json} are recomputed here by hand from the generated rows.
 */
class ForecastIT {
    private static final int WINDOW = 24;
    private static final int SEASON = 12;
    /**
     * How far above the generator's best MAE a level-free forecast may end. Measured: 1.3-1.6x over seeds, inits and
     * worker counts (the last value the forecast is relative to carries its month's noise); on the global scale,
     * 58x.
     */
    private static final double FACTOR = 2.0;

    @TempDir
    static Path dir;

    private static Path data;
    /** The series' values by month. */
    private static double[] values;

    @BeforeAll
    static void generate() {
        SparkSession spark = SparkTestSession.get();
        data = GenerateJob.run(spark, Generators.byName("climb"), dir.resolve("climb"), ClimbGenerator.STEPS, 1);
        values = new double[ClimbGenerator.STEPS];
        for (Row r : spark.read().parquet(data.toString()).collectAsList()) {
            values[month((Timestamp) r.get(1))] = r.getDouble(2);
        }
    }

    private static int month(Timestamp t) {
        return (int) ChronoUnit.MONTHS.between(
                LocalDate.of(1958, 4, 1), t.toLocalDateTime().toLocalDate());
    }

    private static Path train(String name, int horizon, String... overrides) throws Exception {
        Path spec = Files.writeString(
                dir.resolve(name + ".conf"),
                "name = " + name + "\ntask = regression\ndata { path = \"" + data + "\", label = value, sequence { "
                        + "series = series_id, order = month, window = " + WINDOW + ", horizon = " + horizon
                        + ", split = time, season = " + SEASON + " } }\nmodel.hidden = [32]\n"
                        + "train { epochs = 150, batch-size = 32, learning-rate = 0.003, early-stopping.patience = 25 }"
                        + "\n");
        Path out = dir.resolve(name);
        CapturedRun run = CapturedRun.train(spec, out, overrides);
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        return out;
    }

    @Test
    void aClimbingSeriesIsForecastNearTheBestLevelFreeAndItsBaselinesHoldByHand() throws Exception {
        Path out = train("climb-1", 1);
        JsonNode metrics = Json.MAPPER.readTree(out.resolve(RunFiles.METRICS).toFile());
        double best = ClimbGenerator.NOISE_SD * Math.sqrt(2 / Math.PI);
        double mae = metrics.get("test").get("mae").asDouble();
        assertTrue(mae <= FACTOR * best, "test mae " + mae + " against the best " + best);

        // The test windows' targets are months [round(0.85 n), n); training's end before round(0.70 n).
        int n = ClimbGenerator.STEPS;
        int testFrom = (int) Math.round(n * 0.85);
        int trainTo = (int) Math.round(n * 0.70);
        double naive = 0;
        double seasonal = 0;
        for (int t = testFrom; t < n; t++) {
            naive += Math.abs(values[t] - values[t - 1]);
            seasonal += Math.abs(values[t] - (values[t - 1] + values[t - SEASON] - values[t - 1 - SEASON]));
        }
        double trainNaive = 0;
        for (int t = WINDOW; t < trainTo; t++) {
            trainNaive += Math.abs(values[t] - values[t - 1]);
        }
        naive /= n - testFrom;
        seasonal /= n - testFrom;
        trainNaive /= trainTo - WINDOW;
        JsonNode baseline = metrics.get("test_baseline");
        assertEquals(n - testFrom, metrics.get("test").get("examples").asLong());
        assertEquals(naive, baseline.get("repeat_last_value_mae").asDouble(), 1e-4 * naive);
        assertEquals(seasonal, baseline.get("seasonal_naive_mae").asDouble(), 1e-4 * seasonal);
        assertEquals(trainNaive, baseline.get("train_repeat_last_value_mae").asDouble(), 1e-4 * trainNaive);
        assertEquals(mae / trainNaive, baseline.get("mase").asDouble(), 1e-3);
        assertTrue(mae < naive / 2, "test mae " + mae + " against repeating the last value's " + naive);

        // predict forecasts levels: each window's forecast of the month after it, against that month's value.
        Path predictions = dir.resolve("climb-1-predictions");
        CapturedRun predicted = CapturedRun.predict(out.resolve("model"), data, predictions);
        assertEquals(ExitCode.OK, predicted.exitCode(), predicted.err());
        double predictedMae = 0;
        int rows = 0;
        for (Row r :
                SparkTestSession.get().read().parquet(predictions.toString()).collectAsList()) {
            int last = month((Timestamp) r.getAs("month"));
            if (last + 1 >= testFrom && last + 1 < n) {
                predictedMae += Math.abs(r.<Double>getAs("prediction") - values[last + 1]);
                rows++;
            }
        }
        assertEquals(n - testFrom, rows);
        assertEquals(mae, predictedMae / rows, 1e-4 * mae, "predict's forecasts against the test metrics");
    }

    @Test
    void aHorizonOfThreeStepsStaysLevelFreeAndEachStepIsALevel() throws Exception {
        Path out = train("climb-3", 3, "train.epochs=60");
        JsonNode metrics = Json.MAPPER.readTree(out.resolve(RunFiles.METRICS).toFile());
        double mae = metrics.get("test").get("mae").asDouble();
        double naive = metrics.get("test_baseline").get("repeat_last_value_mae").asDouble();
        assertTrue(mae < naive / 2, "test mae " + mae + " against repeating the last value's " + naive);
        Path predictions = dir.resolve("climb-3-predictions");
        CapturedRun predicted = CapturedRun.predict(out.resolve("model"), data, predictions);
        assertEquals(ExitCode.OK, predicted.exitCode(), predicted.err());
        Row latest = SparkTestSession.get()
                .read()
                .parquet(predictions.toString())
                .orderBy(org.apache.spark.sql.functions.col("month").desc())
                .first();
        List<Double> steps = latest.getList(latest.fieldIndex("prediction"));
        assertEquals(3, steps.size());
        // Past the end of the series, each step continues its climb from the last value.
        for (double step : steps) {
            assertEquals(values[ClimbGenerator.STEPS - 1], step, 5.0, "forecast " + steps);
        }
    }
}
