package io.trainyard.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.family.GanCheckpoint;
import io.trainyard.family.GanFamily;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.MixtureGenerator;
import io.trainyard.job.TrainJob;
import io.trainyard.model.GanFactory;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.sweep.SweepSpecs;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.SweepRuns;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GAN on a 2-D mixture: trained by parameter averaging, its generated rows near the data and on every mode; a
 * trial continued from its checkpoint ends as one trained straight through; a sweep ranks trials by MMD, publishes
 * the best generator and resumes from its ledger.
 */
class GanIT {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path mixture;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        mixture = GenerateJob.run(spark, Generators.byName("mixture"), dir.resolve("mixture"), 12_000, 4);
    }

    @Test
    void generatedRowsMatchTheMixtureFarBetterThanUntrainedAndCoverEveryComponent() throws Exception {
        JobSpec spec = TestSpecs.spec(
                mixture.toString(),
                "",
                "data.features=[x, y]",
                "data.id=[row_id]",
                "model.type=gan",
                "model.activation=leakyrelu",
                "model.gan.noise=4",
                "model.gan.generator=[32, 32]",
                "model.gan.discriminator=[32, 32]",
                "model.gan.generator-learning-rate=0.001",
                "model.gan.discriminator-learning-rate=0.001",
                "model.gan.samples=4000",
                "train.epochs=10",
                "train.batch-size=64",
                "train.beta1=0.5",
                "train.averaging-frequency=5",
                "train.workers=2",
                "train.early-stopping.patience=0");
        Path out = dir.resolve("gan");
        GanFamily.Tested outcome = TrainJob.run(spark, spec, out).result(GanFamily.Tested.class);
        assertTrue(
                outcome.testMmd() < 0.2 * outcome.untrainedTestMmd(),
                "test mmd^2 " + outcome.testMmd() + ", untrained " + outcome.untrainedTestMmd());

        List<Row> generated =
                spark.read().parquet(out.resolve(RunFiles.GENERATED).toString()).collectAsList();
        assertEquals(4000, generated.size());
        assertEquals(List.of("x", "y"), List.of(generated.get(0).schema().fieldNames()));
        // Every component holds a fair share of the generated rows within three of its standard deviations
        // (a quarter each when the mixture is matched; a collapsed generator leaves some near none).
        for (double[] centre : MixtureGenerator.CENTRES) {
            long near = generated.stream()
                    .filter(r -> Math.hypot(r.getDouble(0) - centre[0], r.getDouble(1) - centre[1])
                            < 3 * MixtureGenerator.SD)
                    .count();
            assertTrue(
                    near > 0.15 * generated.size(),
                    "component at " + centre[0] + ", " + centre[1] + " has " + near + " of " + generated.size()
                            + " generated rows");
        }
        assertTrue(Files.exists(out.resolve("model/network.zip")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    /** The spec of the tests below: small networks that learn the mixture in a few epochs. */
    private static String spec(String... more) {
        String base = """
                name = gan-it
                data { path = "%s", features = [x, y], id = [row_id] }
                model { type = gan, activation = leakyrelu }
                model.gan { noise = 4, generator = [32, 32], discriminator = [32, 32], samples = 1000 }
                model.gan { generator-learning-rate = 0.001, discriminator-learning-rate = 0.001 }
                train { batch-size = 64, beta1 = 0.5, averaging-frequency = 5, early-stopping.patience = 0 }
                """.formatted(mixture);
        return base + String.join("\n", more) + "\n";
    }

    @Test
    void aTrialContinuedFromItsCheckpointEndsAsOneTrainedStraightThrough() {
        JobSpec job = SpecLoader.fromConfig(ConfigFactory.parseString(spec("train.workers = 2")), List.of());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (PreparedData data = DataPreparer.prepare(spark, job, true)) {
            GanFactory.Gan gan = GanFactory.build(job, data.plan().inputWidth());
            GanEvaluation evaluation = GanEvaluation.of(data, job);
            JobSpec four = SweepSpecs.trialSpec(job, Map.of("train.epochs", 4));
            JobSpec two = SweepSpecs.trialSpec(job, Map.of("train.epochs", 2));
            GanResult straight = GanTrainer.train(sc, gan, GanState.fresh(gan), data, four, 2, 1, evaluation, e -> {});
            GanResult firstTwo = GanTrainer.train(sc, gan, GanState.fresh(gan), data, two, 2, 1, evaluation, e -> {});
            Path trial = dir.resolve("continued");
            GanCheckpoint.save(trial, 2, firstTwo, 1.0);
            GanState resumed =
                    GanCheckpoint.latestBefore(trial, 4).orElseThrow().result().last();
            GanResult continued = GanTrainer.train(sc, gan, resumed, data, four, 2, 1, evaluation, e -> {});
            assertEquals(
                    straight.last().stack().params(), continued.last().stack().params(), "generator differs");
            assertEquals(
                    straight.last().discriminator().params(),
                    continued.last().discriminator().params(),
                    "discriminator differs");
            assertEquals(straight.last().bestStack(), continued.last().bestStack(), "best epoch's stack differs");
            assertEquals(
                    straight.last().history().stream()
                            .map(GanEpoch::validationMmd)
                            .toList(),
                    continued.last().history().stream()
                            .map(GanEpoch::validationMmd)
                            .toList());

            // A trial may sweep the noise width: the run's evaluation measures its generator all the same.
            JobSpec narrow = SweepSpecs.trialSpec(job, Map.of("train.epochs", 1, "model.gan.noise", 2));
            GanFactory.Gan narrowGan = GanFactory.build(narrow, data.plan().inputWidth());
            GanResult narrowResult =
                    GanTrainer.train(sc, narrowGan, GanState.fresh(narrowGan), data, narrow, 2, 1, evaluation, e -> {});
            assertTrue(Double.isFinite(evaluation.test(narrowResult.bestGenerator(narrowGan))));
        }
    }

    @Test
    void aSweepRanksTrialsByMmdPublishesTheBestGeneratorAndResumes() throws Exception {
        Path conf = dir.resolve("gan-sweep.conf");
        Files.writeString(conf, spec("""
                sweep {
                  space."model.gan.generator-learning-rate" = {choice = [0.001, 0.00001]}
                  strategy = asha, trials = 2, parallel = 2, min-epochs = 2, max-epochs = 4, eta = 2
                  # draws 0.00001 for trial 0 and 0.001 for trial 1: the better trial is not the first
                  seed = 4
                }
                """));
        Path out = dir.resolve("gan-sweep");
        CapturedRun run = CapturedRun.of("sweep", conf.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        List<String> results = SweepRuns.resultsWithoutSeconds(out);
        List<String> header = SweepRuns.cells(results.get(0));
        assertEquals("validation_mmd", header.get(header.size() - 2), results.get(0));
        // ASHA at eta 2: both trials at 2 epochs, the one with the lower validation MMD (the faster generator) on to 4.
        int budget = header.indexOf("budget");
        int rate = header.indexOf("model.gan.generator-learning-rate");
        int mmd = header.indexOf("validation_mmd");
        List<List<String>> rows = results.stream().skip(1).map(SweepRuns::cells).toList();
        assertEquals(
                List.of("1.0E-5", "0.001"), rows.stream().map(r -> r.get(rate)).toList(), results.toString());
        assertEquals(List.of("2", "4"), rows.stream().map(r -> r.get(budget)).toList(), results.toString());
        List<?> promoted = Json.read(out.resolve("trials/trial-0001/history.json"), List.class);
        double promotedAtTwo = ((Number) ((Map<?, ?>) promoted.get(1)).get("validationMmd")).doubleValue();
        assertTrue(promotedAtTwo < Double.parseDouble(rows.get(0).get(mmd)), results + " " + promoted);

        for (String f : List.of(
                "_SUCCESS",
                RunFiles.REPORT,
                "best/_SUCCESS",
                "best/run.json",
                "best/model/model.json",
                "best/model/network.zip")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        Map<?, ?> metrics = Json.read(out.resolve("best/metrics.json"), Map.class);
        assertEquals(4, ((List<?>) metrics.get("history")).size());
        Map<?, ?> test = (Map<?, ?>) metrics.get("test");
        double testMmd = ((Number) test.get("mmd2")).doubleValue();
        double untrained = ((Number) test.get("untrained_generator_mmd2")).doubleValue();
        assertTrue(testMmd < 0.3 * untrained, "best trial's test mmd^2 " + testMmd + ", untrained " + untrained);
        assertEquals(
                1000,
                spark.read()
                        .parquet(out.resolve("best/" + RunFiles.GENERATED).toString())
                        .count());
        assertTrue(run.out().contains("test: mmd^2 "), run.out());

        // Run again: every trial ended, so nothing trains and the results are the same.
        CapturedRun again = CapturedRun.of("sweep", conf.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, again.exitCode(), again.err());
        assertEquals(results, SweepRuns.resultsWithoutSeconds(out));
    }
}
