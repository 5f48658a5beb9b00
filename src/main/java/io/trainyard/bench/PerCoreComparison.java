package io.trainyard.bench;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.train.StepKind;
import io.trainyard.train.averaging.WorkerThreads;
import io.trainyard.train.step.LeanDenseStep;
import io.trainyard.train.step.MinibatchFitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training speed per core, side by side in one run: DL4J's {@code fit}, Trainyard's lean step and PyTorch, each on
 * one thread, from the same initial weights over the same minibatches in the same order for the spec's epochs. The
 * ratios to PyTorch are the bench's answer to "is it as fast as what I would otherwise use".
 *
 * <p>A single timing flatters whichever side the machine happened not to slow, so the trainers run in turn,
 * {@code repeats} times over (dl4j, lean, PyTorch, dl4j, lean, PyTorch, ...), and each reports the median and the
 * spread of its repeats; the ratios are of medians. Beside every repeat stand the load average and the cores other
 * processes kept busy (and, for PyTorch, this JVM's own CPU use while it waited): a repeat that shared the machine is
 * named in a warning.
 */
final class PerCoreComparison {
    private static final Logger LOG = LoggerFactory.getLogger(PerCoreComparison.class);

    private PerCoreComparison() {}

    /** One trainer's repeats. */
    private static final class Trainer {
        String name;
        final List<Double> rates = new ArrayList<>();
        final List<MachineLoad.Window> windows = new ArrayList<>();
        Double testAccuracy;
        Double testAuc;

        Trainer(String name) {
            this.name = name;
        }

        double median() {
            return BenchJob.median(rates);
        }
    }

    static Map<String, Object> measure(
            JobSpec spec,
            MultiLayerNetwork initial,
            List<DataSet> train,
            List<DataSet> test,
            BenchScorer scorer,
            long examples,
            Path dir,
            int repeats) {
        int epochs = spec.train().epochs();
        WorkerThreads.limit(1);
        Map<String, Object> out = new LinkedHashMap<>();
        Trainer dl4j = new Trainer("dl4j fit");
        String leanRefusal = LeanDenseStep.unsupported(initial);
        Trainer lean = leanRefusal == null ? new Trainer("lean step") : null;
        if (leanRefusal != null) {
            out.put("lean_step_skipped", leanRefusal);
        }
        TorchReference.Prepared torchJob = TorchReference.prepare(spec, initial, train, test, dir);
        Trainer torch = torchJob == null ? null : new Trainer("pytorch");
        for (int r = 0; r < repeats; r++) {
            oneThread(dl4j, initial, StepKind.DL4J, train, epochs, examples, scorer);
            if (lean != null) {
                oneThread(lean, initial, StepKind.LEAN, train, epochs, examples, scorer);
            }
            if (torch != null) {
                MachineLoad start = MachineLoad.now();
                TorchReference.Result result = torchJob.run(examples);
                if (result == null) {
                    torch = null;
                    continue;
                }
                MachineLoad.Window window = start.until(MachineLoad.now(), result.cpuSeconds());
                torch.rates.add(result.examplesPerSecond());
                torch.windows.add(window);
                torch.testAccuracy = result.testAccuracy();
                torch.testAuc = result.auc();
                torch.name = "pytorch " + result.torch();
                LOG.info(
                        "{} on 1 thread, repeat {}: {} examples/s ({})",
                        torch.name,
                        r + 1,
                        String.format(Locale.ROOT, "%,.0f", result.examplesPerSecond()),
                        window.describe());
            }
        }
        List<Trainer> trainers = new ArrayList<>(List.of(dl4j));
        if (lean != null) {
            trainers.add(lean);
        }
        if (torch != null) {
            trainers.add(torch);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Trainer t : trainers) {
            rows.add(row(t, torch));
            for (int r = 0; r < t.windows.size(); r++) {
                MachineLoad.Window w = t.windows.get(r);
                if (w.busy()) {
                    warnings.add(String.format(
                            Locale.ROOT,
                            "%s repeat %d shared the machine: other processes kept %.2f cores busy (load %.2f)",
                            t.name,
                            r + 1,
                            w.otherCores(),
                            w.loadAverage()));
                }
                if (t == torch && w.jvmCores() > MachineLoad.QUIET_JVM_CORES) {
                    warnings.add(String.format(
                            Locale.ROOT,
                            "the bench JVM used %.2f cores while PyTorch repeat %d ran",
                            w.jvmCores(),
                            r + 1));
                }
            }
        }
        warnings.forEach(w -> LOG.warn("per-core bench: {}", w));
        out.put("threads", 1);
        out.put("repeats", repeats);
        out.put("runs", rows);
        out.put("warnings", warnings);
        WorkerThreads.limit(Runtime.getRuntime().availableProcessors());
        return out;
    }

    /** One repeat of a DL4J-side trainer: a fresh copy of the initial weights trained for the spec's epochs. */
    private static void oneThread(
            Trainer into,
            MultiLayerNetwork initial,
            StepKind kind,
            List<DataSet> train,
            int epochs,
            long examples,
            BenchScorer scorer) {
        MultiLayerNetwork net = initial.clone();
        MinibatchFitter fitter = MinibatchFitter.of(net, kind);
        List<Double> seconds = new ArrayList<>();
        MachineLoad start = MachineLoad.now();
        for (int e = 0; e < epochs; e++) {
            long begin = System.nanoTime();
            for (int i = 0; i < train.size(); i++) {
                fitter.fit(train.get(i), i == train.size() - 1);
            }
            seconds.add((System.nanoTime() - begin) / 1e9);
        }
        MachineLoad.Window window = start.until(MachineLoad.now(), 0);
        double rate = examples / BenchJob.steady(seconds);
        into.rates.add(rate);
        into.windows.add(window);
        into.testAccuracy = scorer.test(net);
        into.testAuc = scorer.testAuc(net);
        LOG.info(
                "{} on 1 thread, repeat {}: {} examples/s, epochs {} s ({})",
                into.name,
                into.rates.size(),
                String.format(Locale.ROOT, "%,.0f", rate),
                Arrays.toString(seconds.stream()
                        .map(s -> String.format(Locale.ROOT, "%.2f", s))
                        .toArray()),
                window.describe());
    }

    private static Map<String, Object> row(Trainer t, Trainer torch) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trainer", t.name);
        row.put("examples_per_second", t.median());
        row.put("examples_per_second_repeats", t.rates);
        row.put(
                "examples_per_second_min",
                t.rates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        row.put(
                "examples_per_second_max",
                t.rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        row.put(
                "load_average",
                t.windows.stream().map(MachineLoad.Window::loadAverage).toList());
        row.put(
                "other_cores",
                t.windows.stream().map(MachineLoad.Window::otherCores).toList());
        if (t == torch) {
            row.put(
                    "bench_jvm_cores",
                    t.windows.stream().map(MachineLoad.Window::jvmCores).toList());
        }
        if (torch != null) {
            row.put("ratio_to_pytorch", t.median() / torch.median());
        }
        row.put("test_accuracy", t.testAccuracy);
        if (t.testAuc != null) {
            row.put("test_auc", t.testAuc);
        }
        return row;
    }
}
