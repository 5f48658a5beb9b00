package io.trainyard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.StandaloneCluster;
import io.trainyard.testing.SweepRuns;
import io.trainyard.train.averaging.RoundRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainyard as its users run it: a standalone cluster of a master and two workers (separate JVMs) started by
 * deploy/standalone/cluster.sh, and commands submitted with deploy/submit.sh (spark-submit, client mode). Covers the
 * quickstart end to end, an executor killed in mid-training, a task that fails once, a sweep's driver stopped with
 * SIGTERM and resumed, the preflight refusing an output directory an executor cannot see, and every other family
 * and predict run from the shaded jar (which leaves out deeplearning4j-core's image, video and import stacks).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    /** The quickstart's sample data (the quickstart generates it under the checkout when absent). */
    static final Path SAMPLE = StandaloneCluster.HOME.resolve("data/quickstart");

    static final String QUICKSTART =
            StandaloneCluster.HOME.resolve("jobs/quickstart.conf").toString();
    /** A plain training run of the quickstart's data: long enough to be disturbed after its first epochs. */
    static final String[] TRAIN = {
        "train",
        QUICKSTART,
        "--set",
        "data.path=\"" + SAMPLE + "\"",
        "--set",
        "train.epochs=6",
        "--set",
        "train.early-stopping.patience=0"
    };

    @TempDir
    static Path dir;

    static StandaloneCluster cluster;
    /** The test section of metrics.json of an undisturbed {@link #TRAIN} run. */
    static Map<?, ?> undisturbed;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theQuickstartRunsThroughSparkSubmitOnSeparateExecutorJvms() throws Exception {
        Path out = dir.resolve("quickstart");
        Path log = dir.resolve("quickstart.log");
        assertEquals(
                ExitCode.OK, cluster.run(log, List.of(), "quickstart", "--out", out.toString()), Files.readString(log));
        for (String f : List.of(
                "_SUCCESS",
                "run.json",
                "data/split.json",
                "data/feature-plan.json",
                RunFiles.LEDGER,
                "results.csv",
                "results.parquet/_SUCCESS",
                RunFiles.REPORT,
                "best/_SUCCESS",
                "best/run.json",
                "best/metrics.json",
                "best/model/model.json",
                "best/model/network.zip")) {
            assertTrue(Files.exists(out.resolve(f)), f + " missing from the run directory");
        }
        Map<?, ?> spark =
                (Map<?, ?>) Json.read(out.resolve("run.json"), Map.class).get("spark");
        assertEquals(cluster.masterUrl(), spark.get("master"));
        assertTrue(Files.readString(log).contains("test: loss"), Files.readString(log));
    }

    @Test
    @Order(2)
    void anExecutorKilledInMidTrainingIsReplacedAndTheRunEndsAsUndisturbed() throws Exception {
        Path out = dir.resolve("killed");
        Path log = dir.resolve("killed.log");
        Process driver = cluster.submit(log, List.of(), withOut(out));
        try {
            awaitLine(log, "epoch 2/6", driver);
            List<ProcessHandle> executors = cluster.executors();
            assertEquals(2, executors.size(), "executors: " + executors);
            executors.get(0).destroyForcibly();
            assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "the run did not end");
        } finally {
            driver.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(ExitCode.OK, driver.exitValue(), output);
        assertTrue(output.contains("Lost executor"), "the executor was not lost during the run:\n" + output);
        double accuracy = accuracy(testMetrics(out));
        double reference = accuracy(undisturbed());
        assertTrue(Math.abs(accuracy - reference) <= 0.01, "test accuracy " + accuracy + " against " + reference);
    }

    @Test
    @Order(3)
    void aTaskThatFailsOnceIsRetriedWithTheSameResult() throws Exception {
        Path out = dir.resolve("task-failed");
        Path log = dir.resolve("task-failed.log");
        int exit = cluster.run(log, List.of("--conf", RoundRunner.FAIL_TASK_ONCE_IN_ROUND + "=3"), withOut(out));
        String output = Files.readString(log);
        assertEquals(ExitCode.OK, exit, output);
        assertTrue(
                output.contains("failure injected by " + RoundRunner.FAIL_TASK_ONCE_IN_ROUND),
                "no task failed:\n" + output);
        assertSameModel(undisturbed(), testMetrics(out));
    }

    /**
     * The same predictions on the test split (confusion matrix, accuracy, macro-F1) and the same loss up to float
     * rounding: executors of one core sum the loss in another order than a JVM of two.
     */
    private static void assertSameModel(Map<?, ?> expected, Map<?, ?> actual) {
        for (String exact : List.of("confusion", "accuracy", "macroF1")) {
            assertEquals(expected.get(exact), actual.get(exact), exact);
        }
        assertEquals(((Number) expected.get("loss")).doubleValue(), ((Number) actual.get("loss")).doubleValue(), 1e-6);
    }

    @Test
    @Order(4)
    void aSweepsDriverStoppedWithSigtermExits143AndTheRerunResumesIt() throws Exception {
        Path out = dir.resolve("sweep");
        Path log = dir.resolve("sweep.log");
        String[] sweep = {"sweep", QUICKSTART, "--set", "data.path=\"" + SAMPLE + "\"", "--out", out.toString()};
        Process driver = cluster.submit(log, List.of(), sweep);
        try {
            SweepRuns.awaitEndedTrials(out.resolve(RunFiles.LEDGER), 2, driver, log);
            driver.destroy();
            assertTrue(driver.waitFor(2, TimeUnit.MINUTES), "the driver did not stop on SIGTERM");
        } finally {
            driver.destroyForcibly();
        }
        assertEquals(ExitCode.TERMINATED, driver.exitValue(), Files.readString(log));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));

        Path rerunLog = dir.resolve("sweep-rerun.log");
        assertEquals(ExitCode.OK, cluster.run(rerunLog, List.of(), sweep), Files.readString(rerunLog));
        // The quickstart is this sweep run without interruption (same spec, same data).
        assertEquals(SweepRuns.resultsWithoutSeconds(dir.resolve("quickstart")), SweepRuns.resultsWithoutSeconds(out));
    }

    @Test
    @Order(5)
    void anOutputDirectoryAnExecutorCannotSeeIsRefusedBeforeAnyWork() throws Exception {
        Path hidden = dir.resolve("hidden");
        Files.createDirectories(hidden);
        try (PrivateWorker worker = PrivateWorker.start(cluster, hidden)) {
            Path log = dir.resolve("hidden.log");
            Path out = hidden.resolve("generated");
            int exit = cluster.run(
                    log,
                    List.of("--conf", "spark.cores.max=3"),
                    "generate",
                    "classification",
                    "--rows",
                    "1000",
                    "--out",
                    out.toString());
            String output = Files.readString(log);
            assertEquals(ExitCode.CONFIGURATION, exit, output);
            assertTrue(output.contains("--out's parent directory " + hidden + " is not visible from executor"), output);
            assertFalse(Files.exists(out), "output written despite the refusal");
        }
    }

    @Test
    @Order(6)
    void everyFamilyAndPredictRunFromTheLeanJarOnExecutorJvms() throws Exception {
        // Small sets of each family's generator, written here; the cluster reads them like any Parquet.
        Map<String, Integer> rows = Map.of("shapes", 2_000, "seasonal", 4_800, "manifold", 3_000, "mixture", 2_000);
        Map<String, Path> data = new java.util.HashMap<>();
        rows.forEach((generator, n) -> data.put(
                generator,
                GenerateJob.run(
                        SparkTestSession.get(), Generators.byName(generator), dir.resolve("data-" + generator), n, 1)));
        Map<String, String> specs = new java.util.LinkedHashMap<>();
        specs.put("cnn-shapes", "shapes");
        specs.put("rnn-forecast", "seasonal");
        specs.put("autoencoder-anomaly", "manifold");
        specs.put("gan-mixture", "mixture");
        for (Map.Entry<String, String> e : specs.entrySet()) {
            Path out = dir.resolve("family-" + e.getKey());
            Path log = dir.resolve("family-" + e.getKey() + ".log");
            int exit = cluster.run(
                    log,
                    List.of(),
                    "train",
                    StandaloneCluster.HOME
                            .resolve("jobs/" + e.getKey() + ".conf")
                            .toString(),
                    "--set",
                    "data.path=\"" + data.get(e.getValue()) + "\"",
                    "--set",
                    "train.epochs=1",
                    "--out",
                    out.toString());
            assertEquals(ExitCode.OK, exit, Files.readString(log));
            assertTrue(Files.exists(out.resolve("model/network.zip")), e.getKey() + ": no model");
        }
        Path predictions = dir.resolve("family-cnn-predictions");
        Path predictLog = dir.resolve("family-predict.log");
        int predicted = cluster.run(
                predictLog,
                List.of(),
                "predict",
                "--model",
                dir.resolve("family-cnn-shapes/model").toString(),
                "--input",
                data.get("shapes").toString(),
                "--out",
                predictions.toString());
        assertEquals(ExitCode.OK, predicted, Files.readString(predictLog));
        assertEquals(
                2_000,
                SparkTestSession.get().read().parquet(predictions.toString()).count());
    }

    private static String[] withOut(Path out) {
        String[] args = java.util.Arrays.copyOf(TRAIN, TRAIN.length + 2);
        args[TRAIN.length] = "--out";
        args[TRAIN.length + 1] = out.toString();
        return args;
    }

    /**
     * The undisturbed run, on local[2] in this JVM: parameter averaging over two workers gives the same model in one
     * JVM as over two executor JVMs (this comparison holds the cluster runs to it).
     */
    private static synchronized Map<?, ?> undisturbed() throws Exception {
        if (undisturbed == null) {
            Path out = dir.resolve("undisturbed");
            CapturedRun run = CapturedRun.of(withOut(out));
            assertEquals(ExitCode.OK, run.exitCode(), run.err());
            undisturbed = testMetrics(out);
        }
        return undisturbed;
    }

    private static Map<?, ?> testMetrics(Path run) throws Exception {
        return (Map<?, ?>) Json.read(run.resolve("metrics.json"), Map.class).get("test");
    }

    private static double accuracy(Map<?, ?> metrics) {
        return ((Number) metrics.get("accuracy")).doubleValue();
    }

    /** Waits until the driver's output holds {@code text}; fails when the driver ends first. */
    private static void awaitLine(Path log, String text, Process driver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            if (!driver.isAlive()) {
                throw new AssertionError("the run ended before '" + text + "':\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' within 5 minutes");
    }
}
