package io.trainyard.bench;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.Json;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny benchmark as a smoke test: it runs every configuration and writes its reports. No timing assertions. */
class BenchIT {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void tinyBenchRunsEveryConfigurationAndWritesItsReports() throws Exception {
        var spark = SparkTestSession.get();
        Path data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("data"), 4_000, 5);
        Map<String, Object> report = BenchJob.run(
                spark,
                TestSpecs.spec(
                        data.toString(),
                        "outcome",
                        "data.id=[customer_id]",
                        "data.nulls=impute",
                        "train.epochs=2",
                        "train.batch-size=64",
                        "train.averaging-frequency=4",
                        "train.workers=2"),
                dir.resolve("bench"),
                new MllibReference.Budget(5, 10, 60, 2),
                2);
        List<Map<String, Object>> runs = (List<Map<String, Object>>) report.get("runs");
        assertEquals(
                List.of(
                        "single JVM",
                        "trainyard",
                        "trainyard in driver",
                        "dl4j",
                        "trainyard",
                        "trainyard in driver",
                        "dl4j"),
                runs.stream().map(r -> r.get("engine")).toList());
        // Same weights, minibatches and seeds: both engines train the same model at each worker count.
        // (The engine's rounds in the driver equal its Spark rounds; with the lean step both are within 1e-5 of
        // DL4J's master, so accuracies may differ by a row at a decision boundary.)
        for (int at : new int[] {1, 4}) {
            double testRows = (Long) report.get("rows") * 0.15;
            assertEquals(
                    (Double) runs.get(at).get("test_accuracy"),
                    (Double) runs.get(at + 1).get("test_accuracy"),
                    1e-9);
            assertEquals(
                    (Double) runs.get(at).get("test_accuracy"),
                    (Double) runs.get(at + 2).get("test_accuracy"),
                    1.5 / testRows);
        }
        // Per core: DL4J's fit and the lean step train the same model; PyTorch joins when it is importable.
        List<Map<String, Object>> perCore =
                (List<Map<String, Object>>) ((Map<String, Object>) report.get("per_core")).get("runs");
        assertEquals(
                List.of("dl4j fit", "lean step"),
                perCore.subList(0, 2).stream().map(r -> r.get("trainer")).toList());
        assertEquals(
                (Double) perCore.get(0).get("test_accuracy"),
                (Double) perCore.get(1).get("test_accuracy"),
                1.5 / ((Long) report.get("rows") * 0.15));
        // Each trainer ran twice, in turn; its figure is the median of its repeats, each with the machine's load
        // and the cores other processes used beside it.
        for (Map<String, Object> row : perCore) {
            List<Double> repeats = (List<Double>) row.get("examples_per_second_repeats");
            assertEquals(2, repeats.size(), row.toString());
            assertEquals((repeats.get(0) + repeats.get(1)) / 2, (Double) row.get("examples_per_second"), 1e-6);
            assertEquals(Math.min(repeats.get(0), repeats.get(1)), (Double) row.get("examples_per_second_min"));
            assertEquals(2, ((List<Double>) row.get("load_average")).size());
            assertEquals(2, ((List<Double>) row.get("other_cores")).size());
        }
        assertTrue(Files.readString(dir.resolve("bench/bench.md")).contains("ran in turn, 2 times over"));
        // Preparation's share is weighed against Trainyard's engine at the most workers.
        assertEquals("trainyard x2", report.get("prepare_share_at"));
        double prep = (Double) report.get("prepare_seconds");
        double tenEpochs =
                10.0 * (Long) report.get("train_rows") / (Double) runs.get(4).get("examples_per_second");
        assertEquals(prep / (prep + tenEpochs), (Double) report.get("prepare_share_of_10_epoch_run"), 1e-9);
        // The warm preparation is a second, real one: timed, and per core of the master.
        double warm = (Double) report.get("prepare_warm_seconds");
        assertTrue(warm > 0, "warm preparation timed");
        assertEquals(
                (Long) report.get("rows") / warm / spark.sparkContext().defaultParallelism(),
                (Double) report.get("prepare_warm_rows_per_second_per_core"),
                1e-6);
        assertEquals(warm / (warm + tenEpochs), (Double) report.get("prepare_warm_share_of_10_epoch_run"), 1e-9);
        // This data is read as column arrays, so the bench also times it read as Spark rows, side by side.
        double rowsReader = (Double) report.get("prepare_warm_rows_reader_seconds");
        assertEquals(rowsReader / warm, (Double) report.get("prepare_warm_speedup_over_rows_reader"), 1e-9);
        assertTrue(Files.readString(dir.resolve("bench/bench.md")).contains("read as Spark rows"));
        Map<String, Object> reread =
                Json.MAPPER.readValue(dir.resolve("bench/bench.json").toFile(), Map.class);
        assertEquals(report.get("rows"), ((Number) reread.get("rows")).longValue());
        assertTrue(Files.readString(dir.resolve("bench/bench.md")).contains("| trainyard | 2 |"));
        Map<String, Object> mllib = (Map<String, Object>) report.get("mllib");
        assertEquals(List.of(report.get("inputs"), 64, 32, 3), mllib.get("layers"));
        // Learning is beating the majority class (about 0.65 here) by a clear margin.
        Dataset<Row> labels =
                spark.read().parquet(data.toString()).groupBy("outcome").count();
        double majority = labels.agg(max("count")).first().getLong(0)
                / (double) labels.agg(sum("count")).first().getLong(0);
        assertTrue(
                (Double) mllib.get("best_validation_accuracy") > majority + 0.05,
                "MLlib against the majority class's " + majority + ": " + mllib);
    }
}
