package io.trainyard.bench;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.train.StepKind;
import io.trainyard.train.averaging.WorkerThreads;
import io.trainyard.train.step.LeanDenseStep;
import io.trainyard.train.step.MinibatchFitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training speed per core, side by side in one run: DL4J's {@code fit}, Trainyard's lean step and PyTorch, each on
 * one thread, from the same initial weights over the same minibatches in the same order for the spec's epochs. The
 * ratios to PyTorch are the bench's answer to "is it as fast as what I would otherwise use".
 */
final class PerCoreComparison {
    private static final Logger LOG = LoggerFactory.getLogger(PerCoreComparison.class);

    private PerCoreComparison() {}

    static Map<String, Object> measure(
            JobSpec spec,
            MultiLayerNetwork initial,
            List<DataSet> train,
            List<DataSet> test,
            BenchScorer scorer,
            long examples,
            Path dir) {
        int epochs = spec.train().epochs();
        WorkerThreads.limit(1);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("dl4j fit", trainOneThread(initial.clone(), StepKind.DL4J, train, epochs), examples, scorer));
        String leanRefusal = LeanDenseStep.unsupported(initial);
        if (leanRefusal == null) {
            MultiLayerNetwork lean = initial.clone();
            rows.add(row("lean step", trainOneThread(lean, StepKind.LEAN, train, epochs), examples, scorer));
        } else {
            out.put("lean_step_skipped", leanRefusal);
        }
        TorchReference.Result torch = TorchReference.run(spec, initial, train, test, examples, dir);
        if (torch != null) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trainer", "pytorch " + torch.torch());
            row.put("epoch_seconds", torch.epochSeconds());
            row.put("examples_per_second", torch.examplesPerSecond());
            row.put("test_accuracy", torch.testAccuracy());
            if (torch.auc() != null) {
                row.put("test_auc", torch.auc());
            }
            rows.add(row);
            for (Map<String, Object> r : rows) {
                r.put("ratio_to_pytorch", (double) r.get("examples_per_second") / torch.examplesPerSecond());
            }
        }
        out.put("threads", 1);
        out.put("runs", rows);
        WorkerThreads.limit(Runtime.getRuntime().availableProcessors());
        return out;
    }

    private record Timed(MultiLayerNetwork net, List<Double> seconds) {}

    private static Timed trainOneThread(MultiLayerNetwork net, StepKind kind, List<DataSet> train, int epochs) {
        MinibatchFitter fitter = MinibatchFitter.of(net, kind);
        List<Double> seconds = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            long start = System.nanoTime();
            for (int i = 0; i < train.size(); i++) {
                fitter.fit(train.get(i), i == train.size() - 1);
            }
            seconds.add((System.nanoTime() - start) / 1e9);
            LOG.info("{} on 1 thread, epoch {}: {} s", kind, e + 1, String.format("%.2f", seconds.get(e)));
        }
        return new Timed(net, seconds);
    }

    private static Map<String, Object> row(String name, Timed t, long examples, BenchScorer scorer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trainer", name);
        row.put("epoch_seconds", t.seconds());
        row.put("examples_per_second", examples / BenchJob.steady(t.seconds()));
        row.put("test_accuracy", scorer.test(t.net()));
        Double auc = scorer.testAuc(t.net());
        if (auc != null) {
            row.put("test_auc", auc);
        }
        return row;
    }
}
