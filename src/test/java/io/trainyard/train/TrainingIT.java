package io.trainyard.train;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.evaluate.Evaluator;
import io.trainyard.evaluate.Metrics;
import io.trainyard.family.NetworkFamily;
import io.trainyard.family.NetworkMetrics;
import io.trainyard.family.Published;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.job.TrainJob;
import io.trainyard.model.NetworkFactory;
import io.trainyard.model.OutputHead;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.Predictions;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import io.trainyard.train.averaging.AveragingEngine;
import io.trainyard.train.averaging.Dl4jMasterFitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.util.SparkUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Parameter-averaged training on local Spark: equivalence, accuracy, artifacts, early stopping, divergence. */
class TrainingIT {
    /**
     * The classification generator's published optimum, the accuracy of its own Bayes rule (1 - label noise): the
     * trained MLP must come within 2 points of it.
     */
    private static final double BAYES_ACCURACY =
            ((Number) Generators.byName("classification").optimum().get("bayes_accuracy")).doubleValue();

    @TempDir
    static Path dir;

    static SparkSession spark;
    static JavaSparkContext sc;
    static Path small;
    static Path large;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        small = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("small"), 3_000, 21);
        large = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("large"), 60_000, 3);
    }

    private static JobSpec spec(Path data, String... overrides) {
        List<String> all =
                new ArrayList<>(List.of("data.id=[customer_id]", "data.nulls=impute", "model.hidden=[64, 32]"));
        all.addAll(List.of(overrides));
        return TestSpecs.spec(data.toString(), "outcome", all.toArray(String[]::new));
    }

    private static MultiLayerNetwork initialNetwork(JobSpec spec, PreparedData data) {
        OutputHead head =
                OutputHead.choose(data.plan().task(), data.plan().classes().size(), spec.model());
        MultiLayerConfiguration conf = NetworkFactory.build(spec, data.plan().inputWidth(), head);
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    @Test
    void oneWorkerAveragingEveryMinibatchEqualsSingleMachineFit() {
        for (String optimizer : List.of("sgd", "adam")) {
            JobSpec spec = spec(
                    small,
                    "train.workers=1",
                    "train.averaging-frequency=1",
                    "train.batch-size=64",
                    "train.optimizer=" + optimizer,
                    "train.learning-rate=0.01");
            try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
                MultiLayerNetwork initial = initialNetwork(spec, data);
                long seed = 99;
                SparkDl4jMultiLayer distributed = new SparkDl4jMultiLayer(
                        sc, initial.clone(), DistributedTrainer.trainingMaster(spec.train(), 1, seed));
                MultiLayerNetwork single = initial.clone();
                // DL4J's master visits the minibatches in the order of its seeded balanced random split: replay it.
                Random rng = new Random(seed);
                int count = (int) data.train().count();
                for (int epoch = 0; epoch < 2; epoch++) {
                    distributed.fit(data.train());
                    for (JavaRDD<DataSet> split :
                            SparkUtils.balancedRandomSplit(count, 1, data.train(), rng.nextLong())) {
                        for (DataSet minibatch : split.collect()) {
                            single.fit(minibatch);
                        }
                    }
                }
                double maxDiff = distributed
                        .getNetwork()
                        .params()
                        .sub(single.params())
                        .amaxNumber()
                        .doubleValue();
                assertTrue(maxDiff <= 1e-5, optimizer + ": parameters differ by " + maxDiff);
                assertFalse(single.params().equals(initial.params()), "training changed nothing");
            }
        }
    }

    @Test
    void trainyardEngineEqualsDl4jMasterOnTheSameMinibatchesAndSeeds() {
        for (String optimizer : List.of("sgd", "adam")) {
            JobSpec spec = spec(
                    small,
                    "train.workers=2",
                    "train.averaging-frequency=3",
                    "train.batch-size=64",
                    "train.optimizer=" + optimizer,
                    "train.learning-rate=0.01");
            try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
                MultiLayerNetwork initial = initialNetwork(spec, data);
                long seed = 7;
                Dl4jMasterFitter reference = new Dl4jMasterFitter(
                        sc, initial.clone(), DistributedTrainer.trainingMaster(spec.train(), 2, seed));
                try (AveragingEngine engine = new AveragingEngine(
                        sc,
                        initial.clone(),
                        2,
                        3,
                        64,
                        data.manifest().minibatches().get(0),
                        seed)) {
                    for (int epoch = 0; epoch < 2; epoch++) {
                        reference.fitEpoch(data.train());
                        engine.fitEpoch(data.train());
                    }
                    assertTrue(engine.rounds() >= 10, "only " + engine.rounds() + " rounds");
                    double maxDiff = reference
                            .network()
                            .params()
                            .sub(engine.network().params())
                            .amaxNumber()
                            .doubleValue();
                    assertTrue(maxDiff <= 1e-5, optimizer + ": parameters differ by " + maxDiff);
                    assertEquals(reference.score(), engine.score(), 1e-5);
                    assertFalse(engine.network().params().equals(initial.params()), "training changed nothing");
                }
            }
        }
    }

    @Test
    void roundsInTheDriverEqualRoundsAsSparkJobs() {
        Map<Boolean, TrainingResult> results = new java.util.LinkedHashMap<>();
        for (boolean inDriver : List.of(true, false)) {
            JobSpec spec = spec(
                    small,
                    "train.workers=2",
                    "train.averaging-frequency=3",
                    "train.batch-size=64",
                    "train.optimizer=adam",
                    "train.epochs=3",
                    "train.early-stopping.patience=0",
                    "train.in-driver=" + inDriver);
            try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
                OutputHead head = OutputHead.of(data.plan(), spec.model());
                var conf = NetworkFactory.build(spec, data.plan().inputWidth(), head);
                MultiLayerNetwork probe = new MultiLayerNetwork(conf);
                probe.init();
                assertEquals(inDriver, DistributedTrainer.runsInDriver(sc, spec.train(), data, probe));
                results.put(inDriver, DistributedTrainer.train(sc, conf, data, spec.train(), 2, 5, (r, e) -> {}));
            }
        }
        double params = results.get(true)
                .lastParams()
                .sub(results.get(false).lastParams())
                .amaxNumber()
                .doubleValue();
        assertTrue(params <= 1e-6, "in the driver and as Spark jobs, the parameters differ by " + params);
        for (int e = 0; e < 3; e++) {
            EpochRecord driver = results.get(true).history().get(e);
            EpochRecord spark = results.get(false).history().get(e);
            assertEquals(spark.trainLoss(), driver.trainLoss(), 1e-6, "train loss, epoch " + (e + 1));
            assertEquals(spark.validation().loss(), driver.validation().loss(), 1e-5, "validation loss");
            assertEquals(spark.validation().accuracy(), driver.validation().accuracy(), 1e-9, "validation accuracy");
        }
    }

    @Test
    void aScheduledRateReachesEveryWorkerOfBothEnginesAndEachEpochsRateIsItsFormula() {
        String[] common = {
            "train.workers=2",
            "train.averaging-frequency=3",
            "train.batch-size=64",
            "train.optimizer=adam",
            "train.learning-rate=0.01",
            "train.epochs=3",
            "train.early-stopping.patience=0"
        };
        String[] scheduled = {"train.schedule=exponential", "train.schedule-decay=0.3", "train.warmup-epochs=1"};
        Map<String, TrainingResult> results = new java.util.LinkedHashMap<>();
        // The Trainyard engine's rounds both in the driver and as Spark jobs (a cluster's), whose pooled workers take
        // each round's rate on top of the state the round loads.
        for (String variant : List.of("trainyard", "trainyard-jobs", "dl4j", "unscheduled")) {
            List<String> overrides = new ArrayList<>(List.of(common));
            if (!variant.equals("unscheduled")) {
                overrides.addAll(List.of(scheduled));
            }
            overrides.add("train.engine=" + (variant.equals("dl4j") ? "dl4j" : "trainyard"));
            overrides.add("train.in-driver=" + !variant.equals("trainyard-jobs"));
            JobSpec spec = spec(small, overrides.toArray(String[]::new));
            try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
                OutputHead head = OutputHead.of(data.plan(), spec.model());
                results.put(
                        variant,
                        DistributedTrainer.train(
                                sc,
                                NetworkFactory.build(spec, data.plan().inputWidth(), head),
                                data,
                                spec.train(),
                                2,
                                5,
                                (r, e) -> {}));
            }
        }
        // Warm-up epoch 1 at half the rate, then 0.01 * 0.3^j.
        assertEquals(
                List.of(0.005, 0.01, 0.003),
                results.get("trainyard").history().stream()
                        .map(EpochRecord::learningRate)
                        .map(r -> Math.round(r * 1e9) / 1e9)
                        .toList());
        assertEquals(
                List.of(0.01, 0.01, 0.01),
                results.get("unscheduled").history().stream()
                        .map(EpochRecord::learningRate)
                        .toList());
        double engines = largestDifference(results.get("trainyard"), results.get("dl4j"));
        assertTrue(engines <= 1e-5, "the engines differ by " + engines + " under a schedule");
        double jobs = largestDifference(results.get("trainyard-jobs"), results.get("dl4j"));
        assertTrue(jobs <= 1e-5, "rounds as Spark jobs differ from DL4J's master by " + jobs + " under a schedule");
        double scheduleEffect = largestDifference(results.get("trainyard"), results.get("unscheduled"));
        assertTrue(scheduleEffect > 1e-3, "the schedule changed the parameters by only " + scheduleEffect);
    }

    /** The largest difference between two runs' last parameters. */
    private static double largestDifference(TrainingResult a, TrainingResult b) {
        return a.lastParams().sub(b.lastParams()).amaxNumber().doubleValue();
    }

    @Test
    void trainedMlpComesWithinTwoPointsOfBayesAccuracyAndItsModelPredictsTheSame() throws Exception {
        JobSpec spec = spec(
                large,
                "model.hidden=[64, 64]",
                "train.epochs=30",
                "train.batch-size=256",
                "train.learning-rate=0.01",
                "train.averaging-frequency=5",
                "train.early-stopping.patience=4");
        Path out = dir.resolve("run-large");
        Published<?> published = TrainJob.run(spark, spec, out);
        NetworkFamily.Tested outcome = published.result(NetworkFamily.Tested.class);
        assertTrue(
                outcome.test().accuracy() >= BAYES_ACCURACY - 0.02,
                "test accuracy " + outcome.test().accuracy());
        for (String f : List.of(
                "run.json",
                "metrics.json",
                "data/feature-plan.json",
                "data/split.json",
                "data/normalizer.json",
                "model/network.zip",
                "model/model.json",
                "_SUCCESS")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics =
                Json.MAPPER.readValue(out.resolve("metrics.json").toFile(), Map.class);
        assertEquals(outcome.training().bestEpoch(), metrics.get("best_epoch"));
        // metrics.json is the typed record serialised, and reads back into it.
        assertTrue(
                Json.MAPPER
                        .readTree(Json.MAPPER.writeValueAsString(published.metrics()))
                        .equals(Json.MAPPER.readTree(out.resolve("metrics.json").toFile())),
                "metrics.json differs from the run's NetworkMetrics");
        NetworkMetrics read = Json.read(out.resolve("metrics.json"), NetworkMetrics.class);
        assertEquals(outcome.test().accuracy(), read.test().accuracy());
        assertEquals(outcome.test().summary(), read.testSummary());

        // The saved model holds exactly the kept parameters, and batch scoring reproduces the test accuracy.
        ModelArtifact.Loaded loaded = ModelArtifact.load(out.resolve("model"));
        assertEquals(outcome.training().network().params(), loaded.network().params());
        Dataset<Row> scored = Predictions.onTestSplit(
                spark, spec, out.resolve("model"), large, dir.resolve("predictions"), "customer_id", "outcome");
        assertEquals(outcome.test().examples(), scored.count());
        assertEquals(outcome.test().accuracy(), Predictions.accuracy(scored), 1e-12);
        assertEquals(0, scored.where(col("valid").equalTo(false)).count());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsParameters() throws Exception {
        // A learning rate this high overshoots, so validation loss stops improving within a few epochs.
        JobSpec spec = spec(
                small,
                "train.epochs=12",
                "train.learning-rate=0.05",
                "train.early-stopping.patience=2",
                "train.batch-size=32");
        Path out = dir.resolve("run-early");
        NetworkFamily.Tested outcome = TrainJob.run(spark, spec, out).result(NetworkFamily.Tested.class);
        TrainingResult result = outcome.training();
        assertTrue(result.history().size() > result.bestEpoch(), "no epoch after the best one");
        double bestLoss = result.bestValidation().loss();
        for (EpochRecord r : result.history()) {
            assertTrue(r.validation().loss() >= bestLoss, "epoch " + r.epoch() + " had a lower validation loss");
        }
        try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
            ModelArtifact.Loaded loaded = ModelArtifact.load(out.resolve("model"));
            Metrics again = Evaluator.evaluate(sc, loaded.network(), data.validation(), data.plan());
            assertEquals(bestLoss, again.loss(), 1e-6);
        }
    }

    @Test
    void divergenceExitsThreeAndPublishesNoModel() {
        Path spec = dir.resolve("diverge.conf");
        Path out = dir.resolve("run-diverge");
        try {
            Files.writeString(
                    spec,
                    "name = diverge\ndata { path = \"" + small + "\", label = outcome, id = [customer_id], "
                            + "nulls = impute }\ntrain { optimizer = sgd, learning-rate = 1e12, epochs = 3 }\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CapturedRun run = CapturedRun.of("train", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.DIVERGED, run.exitCode(), run.err());
        assertTrue(run.err().contains("trainyard: diverged: training diverged at epoch 1"), run.err());
        assertFalse(Files.exists(out.resolve("model")));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void aModelDirectoryWhoseFilesDoNotMatchItsManifestIsRefusedBeforeAnythingIsRead() throws Exception {
        Path out = dir.resolve("run-tampered");
        TrainJob.run(spark, spec(small, "train.epochs=1"), out);
        Path model = out.resolve("model");
        for (String file : List.of(ModelArtifact.NETWORK, ModelArtifact.FEATURE_PLAN, ModelArtifact.NORMALIZER)) {
            Path copy = dir.resolve("tampered-" + file);
            copyDirectory(model, copy);
            Files.write(copy.resolve(file), new byte[] {' '}, java.nio.file.StandardOpenOption.APPEND);
            CapturedRun run = CapturedRun.of(
                    "predict",
                    "--model",
                    copy.toString(),
                    "--input",
                    small.toString(),
                    "--out",
                    dir.resolve("predictions-" + file).toString());
            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
            assertEquals(
                    "--model: " + copy.resolve(file) + " does not match its checksum in model.json; refusing to "
                            + "load it",
                    run.errorLine());
        }
    }

    private static void copyDirectory(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
