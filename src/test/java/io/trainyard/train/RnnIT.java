package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.DataPreparer;
import io.trainyard.family.NetworkFamily;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.SeasonalGenerator;
import io.trainyard.job.PredictJob;
import io.trainyard.job.TrainJob;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrent networks over long-format series: windowing, the split by time (nothing trained on lies after what is
 * scored) and by series, LSTM and GRU forecasts against repeating the last value, and scoring new series.
 */
class RnnIT {
    private static final int SERIES = 40;
    private static final int WINDOW = 24;
    private static final int HORIZON = 2;
    private static final int STRIDE = 2;

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path series;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        series = GenerateJob.run(
                spark,
                Generators.byName("seasonal"),
                dir.resolve("seasonal"),
                (long) SERIES * SeasonalGenerator.STEPS,
                5);
    }

    private static JobSpec forecast(String cell, String... more) {
        List<String> all = new ArrayList<>(List.of(
                "task=regression",
                "data.sequence.series=series_id",
                "data.sequence.order=ts",
                "data.sequence.window=" + WINDOW,
                "data.sequence.horizon=" + HORIZON,
                "data.sequence.stride=" + STRIDE,
                "data.sequence.split=time",
                "model.type=rnn",
                "model.cell=" + cell,
                "model.hidden=[24]",
                "train.epochs=8",
                "train.batch-size=32",
                "train.learning-rate=0.01",
                "train.workers=2",
                "train.early-stopping.patience=3"));
        all.addAll(List.of(more));
        return TestSpecs.spec(series.toString(), "value", all.toArray(String[]::new));
    }

    /** Steps of each series in time order, read back from the Parquet files. */
    private static Map<String, List<Double>> valuesBySeries() {
        Map<String, TreeMap<Timestamp, Double>> bySeries = new TreeMap<>();
        for (Row r : spark.read().parquet(series.toString()).collectAsList()) {
            bySeries.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getTimestamp(1), r.getDouble(2));
        }
        Map<String, List<Double>> out = new TreeMap<>();
        bySeries.forEach((k, v) -> out.put(k, new ArrayList<>(v.values())));
        return out;
    }

    /**
     * Repeating the last value, over the test windows as the spec defines them, computed here from the raw rows:
     * windows start every STRIDE steps; a window is a test window when its first target lies at or after the 85%
     * cut of its series.
     */
    private static double naiveTestMae() {
        double sum = 0;
        long n = 0;
        for (List<Double> v : valuesBySeries().values()) {
            long cut = Math.round(v.size() * 0.85);
            for (int start = 0; start + WINDOW + HORIZON <= v.size(); start += STRIDE) {
                if (start + WINDOW >= cut) {
                    double last = v.get(start + WINDOW - 1);
                    for (int k = 0; k < HORIZON; k++) {
                        sum += Math.abs(v.get(start + WINDOW + k) - last);
                        n++;
                    }
                }
            }
        }
        return sum / n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void forecastBeatsRepeatingTheLastValueByThirtyPercent(String cell) throws Exception {
        Path out = dir.resolve("forecast-" + cell);
        NetworkFamily.Tested outcome = TrainJob.run(spark, forecast(cell), out).result(NetworkFamily.Tested.class);
        double naive = naiveTestMae();
        var baseline = io.trainyard.run.Json.MAPPER
                .readTree(out.resolve(RunFiles.METRICS).toFile())
                .get("test_baseline")
                .get("repeat_last_value_mae")
                .asDouble();
        // The baseline the run reports is the one computed here from the raw rows (so the test split is as defined).
        assertEquals(naive, baseline, 1e-4);
        assertTrue(
                outcome.test().mae() <= 0.7 * naive,
                cell + " test mae " + outcome.test().mae() + ", repeating the last value " + naive);
    }

    @Test
    void timeSplitTrainsOnNothingAfterTheValidationCut() {
        JobSpec spec = forecast("gru");
        List<Row> membership = DataPreparer.splitMembership(spark, spec).collectAsList();
        long first = membership.stream()
                .mapToLong(r -> r.getTimestamp(1).getTime())
                .min()
                .orElseThrow();
        Map<String, Long> counts = new TreeMap<>();
        for (Row r : membership) {
            // The window's order value is its last input step (the earliest window's is step WINDOW - 1); its targets
            // are the next HORIZON steps.
            long lastInput = (r.getTimestamp(1).getTime() - first) / 3_600_000 + WINDOW - 1;
            long firstTarget = lastInput + 1;
            long lastTarget = lastInput + HORIZON;
            long cut1 = Math.round(SeasonalGenerator.STEPS * 0.70);
            long cut2 = Math.round(SeasonalGenerator.STEPS * 0.85);
            String split = r.getAs("split");
            counts.merge(split, 1L, Long::sum);
            switch (split) {
                case "train" -> assertTrue(lastTarget < cut1, "train window ends at " + lastTarget);
                case "validation" -> assertTrue(firstTarget >= cut1 && lastTarget < cut2, "validation " + firstTarget);
                case "test" -> assertTrue(firstTarget >= cut2, "test window starts at " + firstTarget);
                default -> throw new AssertionError(split);
            }
        }
        // Windows start every STRIDE steps; those whose targets straddle a cut are dropped.
        long expected = 0;
        for (int start = 0; start + WINDOW + HORIZON <= SeasonalGenerator.STEPS; start += STRIDE) {
            int firstTarget = start + WINDOW;
            int lastTarget = firstTarget + HORIZON - 1;
            boolean straddles = false;
            for (long cut :
                    new long[] {Math.round(SeasonalGenerator.STEPS * 0.70), Math.round(SeasonalGenerator.STEPS * 0.85)
                    }) {
                straddles |= firstTarget < cut && cut <= lastTarget;
            }
            expected += straddles ? 0 : 1;
        }
        assertEquals(
                SERIES * expected,
                counts.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void seriesSplitKeepsEachSeriesInOneSplitAndTheLstmTellsPatternsApart() {
        // Enough series that the test split holds a few of each pattern (it gets whole series).
        int many = 120;
        Path patterns = GenerateJob.run(
                spark,
                Generators.byName("seasonal"),
                dir.resolve("seasonal-120"),
                (long) many * SeasonalGenerator.STEPS,
                6);
        JobSpec spec = TestSpecs.spec(
                patterns.toString(),
                "pattern",
                "data.features=[value]",
                "data.sequence.series=series_id",
                "data.sequence.order=ts",
                "data.sequence.window=" + WINDOW,
                "data.sequence.stride=6",
                "model.type=rnn",
                "model.cell=lstm",
                "model.hidden=[32]",
                "train.epochs=10",
                "train.batch-size=64",
                "train.learning-rate=0.005",
                "train.workers=2");
        Map<String, String> splitOf = new TreeMap<>();
        for (Row r : DataPreparer.splitMembership(spark, spec).collectAsList()) {
            String split = r.getAs("split");
            String before = splitOf.put(r.getString(0), split);
            assertTrue(before == null || before.equals(split), "series " + r.getString(0) + " in two splits");
        }
        assertEquals(many, splitOf.size());
        NetworkFamily.Tested outcome =
                TrainJob.run(spark, spec, dir.resolve("pattern")).result(NetworkFamily.Tested.class);
        assertTrue(
                outcome.test().accuracy() >= 0.9,
                "test accuracy " + outcome.test().accuracy());
    }

    @Test
    void arrayColumnsGiveTheSameTrainingRowsAsTheLongFormatWindowsTheyHold() {
        // Unscaled targets: a windowed forecast takes its history's statistics, array columns their own (same rows).
        JobSpec longFormat =
                forecast("lstm", "data.sequence.horizon=1", "data.sequence.split=series", "normalize-target=none");
        // The same windows written out as rows with an array column, read back through data.shape.
        Path arrays = dir.resolve("windows-as-arrays");
        io.trainyard.data.SequenceWindows.apply(
                        spark.read().parquet(series.toString()),
                        longFormat.data(),
                        io.trainyard.spec.data.Task.REGRESSION,
                        0.7,
                        0.15,
                        series.toString())
                .frame()
                .withColumnRenamed(io.trainyard.data.SequenceWindows.LABEL, "target")
                .write()
                .parquet(arrays.toString());
        JobSpec fromArrays = TestSpecs.spec(
                arrays.toString(),
                "target[0]",
                "task=regression",
                "data.features=[value]",
                "data.id=[series_id, ts]",
                "data.shape=[1, " + WINDOW + "]",
                "split.key=[series_id]",
                "model.type=rnn",
                "model.hidden=[8]",
                "normalize-target=none");
        try (io.trainyard.data.PreparedData a = DataPreparer.prepare(spark, longFormat, true);
                io.trainyard.data.PreparedData b = DataPreparer.prepare(spark, fromArrays, true)) {
            assertEquals(WINDOW, a.plan().inputWidth());
            assertEquals(a.manifest().total(), b.manifest().total());
            // Windows of a series share their split key, so rows within it may be ordered differently: compare sets.
            assertEquals(rows(a), rows(b));
        }
    }

    /** The training rows (inputs then label) of prepared data, sorted. */
    private static List<String> rows(io.trainyard.data.PreparedData data) {
        List<String> out = new ArrayList<>();
        for (org.nd4j.linalg.dataset.DataSet ds : data.train().collect()) {
            float[][] x = ds.getFeatures().toFloatMatrix();
            float[][] y = ds.getLabels().toFloatMatrix();
            for (int r = 0; r < x.length; r++) {
                out.add(java.util.Arrays.toString(x[r]) + " -> " + java.util.Arrays.toString(y[r]));
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    @Test
    void aWindowLongerThanEverySeriesIsRefusedNamingTheKey() {
        String message = org.junit.jupiter.api.Assertions.assertThrows(
                        io.trainyard.data.source.DataException.class,
                        () -> DataPreparer.check(
                                spark, forecast("gru", "data.sequence.window=" + SeasonalGenerator.STEPS)))
                .getMessage();
        assertEquals(
                "data.sequence.window: the longest series in " + series + " has " + SeasonalGenerator.STEPS
                        + " steps; a window of " + SeasonalGenerator.STEPS + " and a horizon of " + HORIZON + " needs "
                        + (SeasonalGenerator.STEPS + HORIZON),
                message);
    }

    @Test
    void predictForecastsEveryFullWindowOfNewSeries() {
        Path out = dir.resolve("forecast-for-predict");
        TrainJob.run(spark, forecast("gru", "train.epochs=1"), out);
        Path scored = dir.resolve("scored");
        long[] counts =
                PredictJob.run(spark, out.resolve("model"), series.toString(), scored, PredictJob.InvalidRows.FLAG);
        // Scoring needs no targets: every window of WINDOW steps, the latest (forecasting past the end) included.
        long perSeries = (SeasonalGenerator.STEPS - WINDOW) / STRIDE + 1;
        assertEquals(SERIES * perSeries, counts[0]);
        assertEquals(0, counts[1]);
        Row row = spark.read()
                .parquet(scored.toString())
                .orderBy("series_id", "ts")
                .first();
        assertEquals(
                List.of("series_id", "ts", "prediction", "valid"),
                List.of(row.schema().fieldNames()));
        assertEquals(HORIZON, row.getList(2).size());
    }
}
