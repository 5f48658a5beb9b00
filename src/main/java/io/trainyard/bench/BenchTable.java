package io.trainyard.bench;

import java.util.List;
import java.util.Map;

/** The benchmark's figures as a Markdown table (bench.md, and the console). */
final class BenchTable {
    private BenchTable() {}

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report, List<BenchJob.Run> runs) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("# bench: %s%n%n", report.get("spec")));
        s.append(String.format(
                "%,d rows, %s, batch %s, averaging every %s, %s epochs%n%n",
                (Long) report.get("rows"),
                report.get("network"),
                report.get("batch_size"),
                report.get("averaging_frequency"),
                report.get("epochs")));
        s.append(String.format(
                "- data preparation: %.2f s, %,.0f rows/s, %.1f%% of a 10-epoch run (%s)%n",
                (Double) report.get("prepare_seconds"),
                (Double) report.get("prepare_rows_per_second"),
                100 * (Double) report.get("prepare_share_of_10_epoch_run"),
                report.get("prepare_share_at")));
        s.append(String.format(
                "- data preparation again, warm: %.2f s, %,.0f rows/s per core, %.1f%% of a 10-epoch run (%s ms)%n",
                (Double) report.get("prepare_warm_seconds"),
                (Double) report.get("prepare_warm_rows_per_second_per_core"),
                100 * (Double) report.get("prepare_warm_share_of_10_epoch_run"),
                report.get("prepare_warm_stages_ms")));
        if (report.containsKey("prepare_warm_rows_reader_seconds")) {
            s.append(String.format(
                    "- the same, warm, read as Spark rows (data.reader = rows): %.2f s; column arrays %.1fx faster%n",
                    (Double) report.get("prepare_warm_rows_reader_seconds"),
                    (Double) report.get("prepare_warm_speedup_over_rows_reader")));
        }
        s.append(String.format(
                "- matrix multiply (ND4J, 1024^3 float): %.1f GFLOP/s; training FLOPs per example: %,.0f%n%n",
                (Double) report.get("matmul_flops_per_second") / 1e9,
                (Double) report.get("training_flops_per_example")));
        s.append(
                "| engine | workers | examples/s | x single JVM | rounds/epoch | overhead s/round | compute efficiency "
                        + "| test accuracy | load | others (cores) |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : (List<Map<String, Object>>) report.get("runs")) {
            Object overhead = row.get("overhead_seconds_per_round");
            s.append(String.format(
                    "| %s | %s | %,.0f | %.2f | %s | %s | %.1f%% | %.4f | %.2f | %.2f |%n",
                    row.get("engine"),
                    row.get("workers"),
                    (Double) row.get("examples_per_second"),
                    (Double) row.get("ratio_to_single_jvm"),
                    row.get("rounds_per_epoch"),
                    overhead == null ? "" : String.format("%.3f", (Double) overhead),
                    100 * (Double) row.get("compute_efficiency"),
                    (Double) row.get("test_accuracy"),
                    (Double) row.get("load_average"),
                    (Double) row.get("other_cores")));
        }
        warnings(s, (List<String>) report.get("machine_warnings"));
        Map<String, Object> perCore = (Map<String, Object>) report.get("per_core");
        if (perCore != null) {
            s.append(String.format(
                    "%nPer core: one thread each, same initial weights, same minibatches in the same order; the trainers "
                            + "ran in turn, %s times over: median, and the slowest and fastest repeat.%n%n",
                    perCore.get("repeats")));
            s.append(
                    "| trainer | examples/s | min - max | x PyTorch | test accuracy | test AUC | load | others (cores) |\n"
                            + "|---|---|---|---|---|---|---|---|\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) perCore.get("runs")) {
                Object ratio = row.get("ratio_to_pytorch");
                s.append(String.format(
                        "| %s | %,.0f | %,.0f - %,.0f | %s | %.4f | %s | %s | %s |%n",
                        row.get("trainer"),
                        (Double) row.get("examples_per_second"),
                        (Double) row.get("examples_per_second_min"),
                        (Double) row.get("examples_per_second_max"),
                        ratio == null ? "" : String.format("%.2f", (Double) ratio),
                        (Double) row.get("test_accuracy"),
                        row.get("test_auc") == null ? "" : String.format("%.4f", (Double) row.get("test_auc")),
                        twoDecimals((List<Double>) row.get("load_average")),
                        twoDecimals((List<Double>) row.get("other_cores"))));
            }
            warnings(s, (List<String>) perCore.get("warnings"));
        }
        Map<String, Object> mllib = (Map<String, Object>) report.get("mllib");
        if (mllib != null) {
            s.append(String.format(
                    "%nSpark MLlib MultilayerPerceptronClassifier (L-BFGS), layers %s: best validation accuracy "
                            + "%.4f after %.1f s.%n",
                    mllib.get("layers"), (Double) mllib.get("best_validation_accuracy"), (Double)
                            mllib.get("seconds_to_best")));
            s.append(
                    mllib.containsKey("trainyard_seconds_to_reach")
                            ? String.format(
                                    "%s reached it in %.1f s (epoch %s): %.3f of MLlib's time.%n",
                                    mllib.get("trainyard_run"),
                                    (Double) mllib.get("trainyard_seconds_to_reach"),
                                    mllib.get("trainyard_epochs_to_reach"),
                                    (Double) mllib.get("time_ratio"))
                            : String.format(
                                    "%s did not reach it (best validation accuracy %.4f).%n",
                                    mllib.get("trainyard_run"),
                                    (Double) mllib.get("trainyard_best_validation_accuracy")));
        }
        return s.toString();
    }

    private static String twoDecimals(List<Double> values) {
        return String.join(
                " ", values.stream().map(v -> String.format("%.2f", v)).toList());
    }

    /** The warnings of a measurement that shared the machine, below its table; nothing when it was quiet. */
    private static void warnings(StringBuilder s, List<String> warnings) {
        if (warnings != null && !warnings.isEmpty()) {
            s.append("\nWARNING, not measured on an idle machine:\n");
            warnings.forEach(w -> s.append("- ").append(w).append('\n'));
        }
    }
}
