package io.trainyard.bench;

import io.trainyard.data.PreparedData;
import io.trainyard.model.NetworkSummary;
import io.trainyard.model.OutputHead;
import io.trainyard.spec.JobSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's report as data ({@code bench.json}): the setting, preparation, and one row per trained run. */
final class BenchReport {
    private BenchReport() {}

    /** Preparation's wall time in a fresh JVM and again once warm, and the cores it ran on. */
    record Preparation(double coldSeconds, Warm warm, int cores) {}

    /**
     * The second preparation in the same JVM: wall time and per-stage milliseconds; and, when it read columns, the
     * same preparation read as Spark rows ({@code data.reader = rows}) beside it (0 when not).
     */
    record Warm(double seconds, Map<String, Long> stagesMs, double rowsSeconds) {}

    static Map<String, Object> of(
            JobSpec spec,
            PreparedData data,
            long rows,
            Preparation prep,
            List<BenchJob.Run> runs,
            BenchJob.Run reference,
            double matmul,
            double flopsPerExample) {
        BenchJob.Run single = runs.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spec", spec.name());
        out.put("rows", rows);
        out.put("train_rows", data.manifest().total().train());
        out.put("inputs", data.plan().inputWidth());
        out.put(
                "network",
                NetworkSummary.describe(spec, data.plan().inputWidth(), OutputHead.of(data.plan(), spec.model())));
        out.put("batch_size", spec.train().batchSize());
        out.put("epochs", spec.train().epochs());
        out.put("prepare_seconds", prep.coldSeconds());
        out.put("prepare_rows_per_second", rows / prep.coldSeconds());
        out.put("prepare_stages_ms", data.timings());
        out.put("prepare_warm_seconds", prep.warm().seconds());
        out.put("prepare_warm_rows_per_second_per_core", rows / prep.warm().seconds() / prep.cores());
        out.put("prepare_warm_stages_ms", prep.warm().stagesMs());
        if (prep.warm().rowsSeconds() > 0) {
            out.put("prepare_warm_rows_reader_seconds", prep.warm().rowsSeconds());
            out.put(
                    "prepare_warm_speedup_over_rows_reader",
                    prep.warm().rowsSeconds() / prep.warm().seconds());
        }
        double tenEpochs = 10 * data.manifest().total().train() / reference.examplesPerSecond();
        out.put("prepare_share_of_10_epoch_run", prep.coldSeconds() / (prep.coldSeconds() + tenEpochs));
        out.put(
                "prepare_warm_share_of_10_epoch_run",
                prep.warm().seconds() / (prep.warm().seconds() + tenEpochs));
        out.put("prepare_share_at", reference.name() + " x" + reference.workers());
        out.put("matmul_flops_per_second", matmul);
        out.put("training_flops_per_example", flopsPerExample);
        List<Map<String, Object>> table = new ArrayList<>();
        for (BenchJob.Run r : runs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", r.name());
            row.put("workers", r.workers());
            row.put("epoch_seconds", r.epochSeconds());
            row.put("examples_per_second", r.examplesPerSecond());
            row.put("ratio_to_single_jvm", r.examplesPerSecond() / single.examplesPerSecond());
            row.put("rounds_per_epoch", r.rounds());
            if (r.rounds() > 0 && r.workers() == 1) {
                // One worker does the single JVM's work; whatever else an epoch takes is the engine's overhead.
                double overhead =
                        (BenchJob.steady(r.epochSeconds()) - BenchJob.steady(single.epochSeconds())) / r.rounds();
                row.put("overhead_seconds_per_round", overhead);
            }
            row.put("compute_efficiency", flopsPerExample * r.examplesPerSecond() / matmul);
            row.put("validation_accuracy_per_epoch", r.validationAccuracy());
            row.put("test_accuracy", r.testAccuracy());
            row.put("load_average", r.machine().loadAverage());
            row.put("other_cores", r.machine().otherCores());
            table.add(row);
        }
        out.put("runs", table);
        out.put(
                "machine_warnings",
                runs.stream()
                        .filter(r -> r.machine().busy())
                        .map(r -> String.format(
                                Locale.ROOT,
                                "%s x%d shared the machine: other processes kept %.2f cores busy (load %.2f)",
                                r.name(),
                                r.workers(),
                                r.machine().otherCores(),
                                r.machine().loadAverage()))
                        .toList());
        out.put("engines_compared_at", Arrays.asList("same initial weights", "same minibatches", "same seeds"));
        out.put("spark_master", System.getProperty("spark.master", "?").toLowerCase(Locale.ROOT));
        return out;
    }
}
