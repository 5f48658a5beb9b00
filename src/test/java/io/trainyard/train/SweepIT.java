package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.family.TrialCheckpoint;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.model.NetworkFactory;
import io.trainyard.model.OutputHead;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.sweep.Ledger;
import io.trainyard.sweep.LedgerEvent;
import io.trainyard.sweep.SweepSpecs;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.ChildJvm;
import io.trainyard.testing.Predictions;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.SweepRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on local Spark: a whole sweep, continuing a trial, and resuming after SIGKILL and SIGTERM. The space sweeps
 * dropout, so the resumed runs (trials split between two JVMs) also show that dropout's random masks are seeded.
 */
class SweepIT {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path data;
    static Path spec;
    /** results.csv of an uninterrupted run of {@link #spec}, without the wall-time column. */
    static List<String> reference;

    @BeforeAll
    static void sweepOnce() throws Exception {
        spark = SparkTestSession.get();
        data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("data"), 3_000, 5);
        spec = dir.resolve("sweep.conf");
        Files.writeString(spec, """
                name = sweep-it
                data { path = "%s", label = outcome, id = [customer_id], nulls = impute }
                model.hidden = [16]
                train { batch-size = 64, early-stopping.patience = 0 }
                sweep {
                  space {
                    "train.learning-rate" = {loguniform = [0.005, 0.05]}
                    "model.hidden" = {choice = [[16], [32, 16]]}
                    "train.batch-size" = {choice = [64, 128]}
                    "model.dropout" = {uniform = [0.0, 0.3]}
                  }
                  sampler = tpe, n-startup = 2, scheduler = halving
                  trials = 4, parallel = 2, min-epochs = 1, max-epochs = 4, eta = 2
                  metric = accuracy
                }
                """.formatted(data));
        Path out = dir.resolve("uninterrupted");
        CapturedRun run = CapturedRun.of("sweep", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        reference = SweepRuns.resultsWithoutSeconds(out);
    }

    @Test
    void aSweepWritesResultsReportAndABestModelThatPredictTakes() throws Exception {
        Path out = dir.resolve("uninterrupted");
        assertEquals(1 + 4, reference.size(), String.join("\n", reference));
        // The swept keys in the space's order (Typesafe Config does not keep the file's order; the space's is fixed).
        String keys = String.join(
                ",",
                SweepSpecs.read(SpecLoader.load(spec, List.of()))
                        .space()
                        .domains()
                        .keySet());
        assertEquals("trial," + keys + ",status,epochs,budget,validation_accuracy,reason", reference.get(0));
        assertEquals(
                List.of("model.dropout", "model.hidden", "train.batch-size", "train.learning-rate"),
                List.of(keys.split(",")).stream().sorted().toList());
        assertEquals(
                4,
                reference.stream()
                        .skip(1)
                        .filter(l -> l.contains(",succeeded,"))
                        .count());
        // Halving at eta 2: 4 trials at 1 epoch, the best 2 at 2, the best one at 4. TPE proposed the second pair of
        // trials from the first pair's results, so the resume tests below also check that its proposals repeat.
        int budget = SweepRuns.cells(reference.get(0)).indexOf("budget");
        assertEquals(
                List.of(1, 1, 2, 4),
                reference.stream()
                        .skip(1)
                        .map(l -> Integer.parseInt(SweepRuns.cells(l).get(budget)))
                        .sorted()
                        .toList());
        assertEquals(
                4,
                spark.read()
                        .parquet(out.resolve(RunFiles.RESULTS_PARQUET).toString())
                        .count());
        for (String f : List.of(
                "_SUCCESS",
                "run.json",
                "data/split.json",
                "trials/ledger.jsonl",
                RunFiles.REPORT,
                "best/_SUCCESS",
                "best/run.json",
                "best/metrics.json",
                "best/" + RunFiles.REPORT,
                "best/model/model.json")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        String html = Files.readString(out.resolve(RunFiles.REPORT));
        assertTrue(html.contains("<svg") && html.contains("Leaderboard"), "report without charts");
        // One link, to the best trial's own page in the run; nothing fetched.
        String page = html.replace("<a href=\"best/report.html\">", "");
        for (String external : List.of("<script", "src=", "href=", "@import", "url(")) {
            assertFalse(page.contains(external), "report fetches something: " + external);
        }
        Map<?, ?> metrics = Json.read(out.resolve("best/metrics.json"), Map.class);
        double testAccuracy = ((Number) ((Map<?, ?>) metrics.get("test")).get("accuracy")).doubleValue();
        // Trials of at most 4 epochs on 2,100 rows: within 10 points of the generator's Bayes accuracy (0.90), well
        // above its majority class (about 0.65).
        double bayes = ((Number) Generators.byName("classification").optimum().get("bayes_accuracy")).doubleValue();
        assertTrue(testAccuracy >= bayes - 0.10, "best trial's test accuracy " + testAccuracy + ", Bayes " + bayes);
        JobSpec best = SpecLoader.fromConfig(
                ConfigFactory.parseString(Json.MAPPER
                        .readTree(out.resolve("best/run.json").toFile())
                        .get("spec")
                        .toString()),
                List.of());
        double predicted = Predictions.accuracy(Predictions.onTestSplit(
                spark, best, out.resolve("best/model"), data, dir.resolve("predictions"), "customer_id", "outcome"));
        assertEquals(testAccuracy, predicted, 1e-9);
    }

    @Test
    void tpeWithHyperbandRunsThePlannedBracketsAndReportsTheSearch() throws Exception {
        Path out = dir.resolve("tpe-hyperband");
        // R = 4, eta = 2: bracket s = 2 starts 4 trials at 1 epoch (2 go on to 2, 1 to 4); bracket s = 1 would start
        // 3 at 2 epochs and is cut to the 2 trials left (1 goes on to 4). TPE models the results from the third trial.
        CapturedRun run = CapturedRun.of(
                "sweep",
                spec.toString(),
                "--out",
                out.toString(),
                "--set",
                "sweep.sampler=tpe",
                "--set",
                "sweep.scheduler=hyperband",
                "--set",
                "sweep.n-startup=2",
                "--set",
                "sweep.trials=6");
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        List<String> results = SweepRuns.resultsWithoutSeconds(out);
        int budget = SweepRuns.cells(results.get(0)).indexOf("budget");
        assertEquals(
                List.of(1, 1, 2, 2, 4, 4),
                results.stream()
                        .skip(1)
                        .map(l -> Integer.parseInt(SweepRuns.cells(l).get(budget)))
                        .sorted()
                        .toList());
        long started = Ledger.read(out.resolve("trials/ledger.jsonl")).stream()
                .filter(e -> e.event().equals(LedgerEvent.STARTED))
                .count();
        assertEquals(10, started);
        String html = Files.readString(out.resolve(RunFiles.REPORT));
        for (String chart : List.of("search-progress", "choices-train.learning-rate", "choices-model.hidden")) {
            assertTrue(html.contains("data-chart=\"" + chart + "\""), chart + " missing from the report");
        }
    }

    @Test
    void aTrialContinuedFromItsCheckpointEndsAsOneTrainedStraightThrough() throws Exception {
        JobSpec job = SpecLoader.load(spec, List.of("train.workers=1", "train.averaging-frequency=3"));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (PreparedData prepared =
                DataPreparer.prepare(spark, job, job.model().binaryAsOneColumn())) {
            OutputHead head = OutputHead.choose(
                    prepared.plan().task(), prepared.plan().classes().size(), job.model());
            var conf = NetworkFactory.build(job, prepared.plan().inputWidth(), head);
            TrainingResult straight = DistributedTrainer.train(
                    sc,
                    TrainingStart.fresh(conf),
                    prepared,
                    SweepSpecs.trialSpec(job, Map.of("train.epochs", 4)).train(),
                    1,
                    1,
                    5,
                    (r, e) -> {});
            TrainingResult firstTwo = DistributedTrainer.train(
                    sc,
                    TrainingStart.fresh(conf),
                    prepared,
                    SweepSpecs.trialSpec(job, Map.of("train.epochs", 2)).train(),
                    1,
                    1,
                    5,
                    (r, e) -> {});
            Path trial = dir.resolve("continued");
            TrialCheckpoint.save(trial, 2, firstTwo, 1.0);
            TrainingResult continued = DistributedTrainer.train(
                    sc,
                    TrialCheckpoint.latestBefore(trial, 4).orElseThrow().start(),
                    prepared,
                    SweepSpecs.trialSpec(job, Map.of("train.epochs", 4)).train(),
                    1,
                    1,
                    5,
                    (r, e) -> {});
            assertTrue(straight.lastParams().equals(continued.lastParams()), "last parameters differ");
            assertTrue(straight.network().params().equals(continued.network().params()), "best parameters differ");
            assertEquals(
                    straight.history().stream().map(h -> h.validation().loss()).toList(),
                    continued.history().stream().map(h -> h.validation().loss()).toList());
        }
    }

    @Test
    void aSweepKilledWithSigkillResumesWithoutRerunningEndedTrialsAndEndsTheSame() throws Exception {
        Path out = dir.resolve("killed");
        Path ledger = out.resolve(RunFiles.LEDGER);
        Process child = ChildJvm.start(dir.resolve("killed.log"), "sweep", spec.toString(), "--out", out.toString());
        try {
            SweepRuns.awaitEndedTrials(ledger, 2, child, dir.resolve("killed.log"));
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }
        List<LedgerEvent> beforeKill = Ledger.read(ledger);
        List<String> endedBeforeKill = beforeKill.stream()
                .filter(e -> e.outcome() != null)
                .map(e -> e.trial() + "@" + e.epochs())
                .toList();
        assertFalse(Files.exists(out.resolve("_SUCCESS")), "the sweep had finished before it was killed");

        CapturedRun rerun = CapturedRun.of("sweep", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun.err());
        assertEquals(reference, SweepRuns.resultsWithoutSeconds(out));
        List<LedgerEvent> afterKill = Ledger.read(ledger)
                .subList(beforeKill.size(), Ledger.read(ledger).size());
        List<String> rerunStarts = afterKill.stream()
                .filter(e -> e.event().equals(LedgerEvent.STARTED))
                .map(e -> e.trial() + "@" + e.epochs())
                .toList();
        for (String ended : endedBeforeKill) {
            assertFalse(rerunStarts.contains(ended), ended + " had ended before the kill and was run again");
        }
        assertEquals(7 - endedBeforeKill.size(), rerunStarts.size(), "rerun started " + rerunStarts);
    }

    @Test
    void sigtermStopsASweepWithExit143AndALedgerThatResumes() throws Exception {
        Path out = dir.resolve("terminated");
        Path ledger = out.resolve(RunFiles.LEDGER);
        Process child =
                ChildJvm.start(dir.resolve("terminated.log"), "sweep", spec.toString(), "--out", out.toString());
        try {
            SweepRuns.awaitEndedTrials(ledger, 1, child, dir.resolve("terminated.log"));
            child.destroy();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the sweep did not stop on SIGTERM");
            assertEquals(ExitCode.TERMINATED, child.exitValue(), Files.readString(dir.resolve("terminated.log")));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(
                Ledger.read(ledger).stream().noneMatch(e -> LedgerEvent.FAILED.equals(e.event())),
                "the shutdown was recorded as trial failures");
        CapturedRun rerun = CapturedRun.of("sweep", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun.err());
        assertEquals(reference, SweepRuns.resultsWithoutSeconds(out));
    }
}
