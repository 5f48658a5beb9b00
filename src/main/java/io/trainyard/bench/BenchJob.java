package io.trainyard.bench;

import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.model.NetworkFactory;
import io.trainyard.model.NetworkMemory;
import io.trainyard.model.NetworkSummary;
import io.trainyard.model.OutputHead;
import io.trainyard.run.Preflight;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.SpecLoader;
import io.trainyard.spec.model.LayerSpec;
import io.trainyard.spec.model.ModelType;
import io.trainyard.spec.train.TrainSpec;
import io.trainyard.train.AveragingFrequency;
import io.trainyard.train.DistributedTrainer;
import io.trainyard.train.averaging.AveragingEngine;
import io.trainyard.train.averaging.Dl4jMasterFitter;
import io.trainyard.train.averaging.EpochFitter;
import io.trainyard.train.averaging.InDriverRounds;
import io.trainyard.train.averaging.RoundRunner;
import io.trainyard.train.averaging.RoundSettings;
import io.trainyard.train.averaging.WorkerThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trainyard bench SPEC}: prepares the spec's data, then trains the same network from the same initial weights
 * on the same minibatches with a single-JVM DL4J fit (the reference), Trainyard's engine and DL4J's master at 1 and 2
 * workers, for {@code train.epochs} epochs each, and reports throughput ratios, per-round overhead, data-preparation
 * rate and share, compute efficiency against the measured matrix-multiply rate, and test accuracy of each model.
 */
public final class BenchJob {
    private static final Logger LOG = LoggerFactory.getLogger(BenchJob.class);

    private BenchJob() {}

    /** One trained configuration's figures. */
    record Run(
            String name,
            int workers,
            long rounds,
            List<Double> epochSeconds,
            List<Double> validationAccuracy,
            double examplesPerSecond,
            double testAccuracy,
            MachineLoad.Window machine) {}

    public static Map<String, Object> run(SparkSession spark, JobSpec spec, Path out) {
        return run(spark, spec, out, MllibReference.Budget.DEFAULT, 3);
    }

    /** @param repeats how many times the per-core trainers run, in turn (medians and spreads are reported) */
    public static Map<String, Object> run(
            SparkSession spark, JobSpec spec, Path out, MllibReference.Budget mllib, int repeats) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        RunDirectory dir = RunDirectory.open(out, spec.data().path());
        long prepStart = System.nanoTime();
        try (PreparedData data = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn())) {
            double prepSeconds = (System.nanoTime() - prepStart) / 1e9;
            BenchReport.Warm warm = warmPreparation(spark, spec);
            long rows = data.manifest().total().total();
            long trainExamples = data.manifest().total().train();
            OutputHead head = OutputHead.of(data.plan(), spec.model());
            MultiLayerConfiguration conf = NetworkFactory.build(
                    spec,
                    data.plan().inputWidth(),
                    data.plan().text() == null ? 0 : data.plan().text().ids(),
                    head);
            NetworkMemory.Estimate memory = NetworkMemory.of(
                    conf,
                    NetworkFactory.inputType(spec, data.plan().inputWidth()),
                    NetworkFactory.updater(spec.train()));
            // The bench trains up to two workers beside a single-JVM copy.
            Preflight.requireOffHeap(
                    sc.getConf(),
                    sc.isLocal(),
                    NetworkMemory.layersKey(spec),
                    memory.parameters(),
                    memory.driverBytes(),
                    memory.workerBytes(spec.train().batchSize()),
                    3);
            MultiLayerNetwork initial = new MultiLayerNetwork(conf);
            initial.init();
            // Every configuration averages at the spec's frequency, `auto` resolved as training would for 2 workers.
            TrainSpec trainSpec = AveragingFrequency.resolve(
                    spec.train(), initial, data.manifest().minibatches().get(0), 2);
            List<DataSet> trainLocal = data.train().collect();
            List<DataSet> testLocal = data.test().collect();
            List<DataSet> validationLocal = data.validation().collect();
            BenchScorer scorer = new BenchScorer(data, validationLocal, testLocal);
            int epochs = spec.train().epochs();
            long seed = Seeds.derive(spec.model().seed(), "training-master");

            List<Run> runs = new ArrayList<>();
            runs.add(single(initial.clone(), trainLocal, scorer, epochs, trainExamples));
            for (int workers : List.of(1, 2)) {
                JavaRDD<DataSet> train =
                        workers == 1 ? data.train().coalesce(1).persist(StorageLevel.MEMORY_AND_DISK()) : data.train();
                long minibatches = data.manifest().minibatches().get(0);
                RoundSettings rounds =
                        RoundSettings.of(trainSpec, workers, minibatches, seed, WorkerThreads.perWorker(sc, workers));
                // The engine's rounds as Spark jobs; as `train` runs them on a local master with small data, in the
                // driver; and DL4J's master, the reference.
                Map<String, Supplier<EpochFitter>> fitters = new LinkedHashMap<>();
                fitters.put("trainyard", () -> new AveragingEngine(sc, initial.clone(), rounds));
                fitters.put("trainyard in driver", () -> new InDriverRounds(initial.clone(), train, rounds));
                fitters.put(
                        "dl4j",
                        () -> new Dl4jMasterFitter(
                                sc, initial.clone(), DistributedTrainer.trainingMaster(trainSpec, workers, seed)));
                for (Map.Entry<String, Supplier<EpochFitter>> f : fitters.entrySet()) {
                    try (EpochFitter fitter = f.getValue().get()) {
                        runs.add(distributed(
                                f.getKey(),
                                workers,
                                fitter,
                                train,
                                scorer,
                                epochs,
                                trainExamples,
                                data,
                                trainSpec.averagingFrequency()));
                    }
                }
                if (workers == 1) {
                    train.unpersist(false);
                }
            }
            // The reference runs again last: on a shared machine, speed drifts during a run, and the faster of the two
            // reference measurements is the one every ratio is taken against (the conservative choice).
            Run again = single(initial.clone(), trainLocal, scorer, epochs, trainExamples);
            if (again.examplesPerSecond() > runs.get(0).examplesPerSecond()) {
                runs.set(0, again);
            }
            double matmul = MatmulRate.measure(1024, 5);
            double flopsPerExample = NetworkSummary.trainingFlopsPerExample(
                    conf, NetworkFactory.inputType(spec, data.plan().inputWidth()));
            // Trainyard's engine at the most workers: the configuration a user would run, so the one preparation time
            // and MLlib's time are weighed against.
            Run widestTrainyard = runs.stream()
                    .filter(r -> r.name().equals("trainyard"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            Map<String, Object> report = BenchReport.of(
                    spec,
                    data,
                    rows,
                    new BenchReport.Preparation(prepSeconds, warm, sc.defaultParallelism()),
                    runs,
                    widestTrainyard,
                    matmul,
                    flopsPerExample);
            report.put("averaging_frequency", trainSpec.averagingFrequency());
            report.put(
                    "per_core",
                    PerCoreComparison.measure(
                            spec, initial, trainLocal, testLocal, scorer, trainExamples, dir.root(), repeats));
            if (!data.plan().classes().isEmpty() && mllib.maxIterations() > 0) {
                report.put("mllib", mllib(spark, spec, data, mllib, widestTrainyard));
            }
            dir.writeJson("bench.json", report);
            String table = BenchTable.markdown(report, runs);
            dir.writeText("bench.md", table);
            dir.markSuccess();
            System.out.println(table);
            return report;
        }
    }

    /**
     * The same preparation again in this JVM, now warm (classes loaded, code compiled, Spark's plans cached): what
     * every trial of a sweep and every run of a long-lived driver pays, beside the first run's cold figure.
     */
    private static BenchReport.Warm warmPreparation(SparkSession spark, JobSpec spec) {
        long start = System.nanoTime();
        try (PreparedData again = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn())) {
            double seconds = (System.nanoTime() - start) / 1e9;
            double rowsSeconds = 0;
            if (again.timings().containsKey(DataPreparer.READ_COLUMNS)) {
                JobSpec rows = SpecLoader.parse(spec.render(), List.of("data.reader = rows"));
                long rowsStart = System.nanoTime();
                try (PreparedData asRows = DataPreparer.prepare(spark, rows, spec.binaryAsOneColumn())) {
                    rowsSeconds = (System.nanoTime() - rowsStart) / 1e9;
                }
            }
            return new BenchReport.Warm(seconds, again.timings(), rowsSeconds);
        }
    }

    private static Run single(
            MultiLayerNetwork net, List<DataSet> train, BenchScorer scorer, int epochs, long examples) {
        WorkerThreads.limit(Runtime.getRuntime().availableProcessors());
        List<Double> validation = new ArrayList<>();
        MachineLoad start = MachineLoad.now();
        List<Double> seconds = timeEpochs(
                "single JVM", epochs, () -> train.forEach(net::fit), () -> validation.add(scorer.validation(net)));
        MachineLoad.Window machine = start.until(MachineLoad.now(), 0);
        return new Run("single JVM", 1, 0, seconds, validation, examples / steady(seconds), scorer.test(net), machine);
    }

    private static Run distributed(
            String name,
            int workers,
            EpochFitter fitter,
            JavaRDD<DataSet> train,
            BenchScorer scorer,
            int epochs,
            long examples,
            PreparedData data,
            int frequency) {
        // Both engines run with the thread limit Trainyard sets for this many workers (DL4J's master sets none).
        WorkerThreads.limit(WorkerThreads.perWorker(JavaSparkContext.fromSparkContext(train.context()), workers));
        List<Double> validation = new ArrayList<>();
        MachineLoad start = MachineLoad.now();
        List<Double> seconds = timeEpochs(
                name + " x" + workers,
                epochs,
                () -> fitter.fitEpoch(train),
                () -> validation.add(scorer.validation(fitter.network())));
        MachineLoad.Window machine = start.until(MachineLoad.now(), 0);
        long rounds = RoundRunner.roundsPerEpoch(data.manifest().minibatches().get(0), workers, frequency);
        return new Run(
                name,
                workers,
                rounds,
                seconds,
                validation,
                examples / steady(seconds),
                scorer.test(fitter.network()),
                machine);
    }

    /** Seconds of each of {@code epochs} runs of {@code epoch}, logged as they finish; {@code after} runs untimed. */
    private static List<Double> timeEpochs(String name, int epochs, Runnable epoch, Runnable after) {
        List<Double> seconds = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            long start = System.nanoTime();
            epoch.run();
            seconds.add((System.nanoTime() - start) / 1e9);
            after.run();
            LOG.info("{} epoch {}: {} s", name, e + 1, String.format("%.2f", seconds.get(e)));
        }
        return seconds;
    }

    /** Epoch time once warm: the median of the epochs after the first (the only one if there is one). */
    static double steady(List<Double> seconds) {
        return median(seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds);
    }

    /** The middle value (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /**
     * MLlib's MLP on the same split and layer widths: its best validation accuracy and the training seconds it took,
     * against the seconds {@code trainyard} (Trainyard's engine at the most workers) took to reach the same accuracy.
     */
    private static Map<String, Object> mllib(
            SparkSession spark, JobSpec spec, PreparedData data, MllibReference.Budget budget, Run trainyard) {
        List<Integer> widths = new ArrayList<>();
        widths.add(data.plan().inputWidth());
        // For a CNN, MLlib (which has no convolutions) gets the CNN's dense layers: what MLlib can offer on this data.
        widths.addAll(denseWidths(spec));
        widths.add(data.plan().classes().size());
        List<MllibReference.Point> points = MllibReference.train(
                spark,
                data.train(),
                data.validation(),
                widths.stream().mapToInt(Integer::intValue).toArray(),
                spec.model().seed(),
                budget);
        MllibReference.Point best = MllibReference.best(points);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layers", widths);
        out.put("budget", budget);
        out.put("points", points);
        out.put("best_validation_accuracy", best.validationAccuracy());
        out.put("seconds_to_best", best.seconds());
        out.put("trainyard_run", trainyard.name() + " x" + trainyard.workers());
        double elapsed = 0;
        for (int e = 0; e < trainyard.epochSeconds().size(); e++) {
            elapsed += trainyard.epochSeconds().get(e);
            if (trainyard.validationAccuracy().get(e) >= best.validationAccuracy()) {
                out.put("trainyard_epochs_to_reach", e + 1);
                out.put("trainyard_seconds_to_reach", elapsed);
                out.put("time_ratio", elapsed / best.seconds());
                return out;
            }
        }
        out.put(
                "trainyard_best_validation_accuracy",
                trainyard.validationAccuracy().stream()
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElse(Double.NaN));
        return out;
    }

    private static List<Integer> denseWidths(JobSpec spec) {
        return spec.model().type() == ModelType.CNN
                ? spec.model().layers().stream()
                        .filter(l -> l.kind() == LayerSpec.Kind.DENSE)
                        .map(LayerSpec::size)
                        .toList()
                : spec.model().hidden();
    }
}
