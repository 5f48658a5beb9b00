package io.trainyard.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.train.Optimizer;
import io.trainyard.spec.train.StoppingMetric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

class SweepSpecsTest {
    private static final String BASE = "name = s\ndata { path = /x, label = y }\ntrain.epochs = 9\n";

    private static JobSpec job(String sweep) {
        return SpecLoader.fromConfig(ConfigFactory.parseString(BASE + sweep), List.of());
    }

    private static String refusal(String sweep) {
        return assertThrows(SpecException.class, () -> SweepSpecs.read(job(sweep)))
                .getMessage();
    }

    @Test
    void quotedAndNestedKeysReadAsTheSameSpaceWithTheDefaults() {
        SweepSpec quoted = SweepSpecs.read(job("sweep.space { \"train.learning-rate\" = {loguniform = [1e-4, 1e-2]}, "
                + "\"model.hidden\" = {choice = [[32], [64, 32]]}, \"model.l2\" = 0.001 }"));
        SweepSpec nested = SweepSpecs.read(job("sweep.space { train { learning-rate { loguniform = [1e-4, 1e-2] } }, "
                + "model.hidden { choice = [[32], [64, 32]] }, model.l2 = 0.001 }"));
        assertEquals(quoted.space().domains().keySet(), nested.space().domains().keySet());
        assertEquals(new Domain.LogUniform(1e-4, 1e-2), nested.space().domains().get("train.learning-rate"));
        assertEquals(
                new Domain.Choice(List.of(List.of(32), List.of(64, 32))),
                nested.space().domains().get("model.hidden"));
        assertEquals(new Domain.Fixed(0.001), nested.space().domains().get("model.l2"));
        assertEquals(SweepSpec.SamplerKind.TPE, quoted.sampler());
        assertEquals(SweepSpec.SchedulerKind.NONE, quoted.scheduler());
        assertEquals(10, quoted.startup());
        assertEquals(9, quoted.maxEpochs());
        assertEquals(StoppingMetric.LOSS, quoted.metric());
        assertEquals(Mode.MIN, quoted.mode());
        SweepSpec asha =
                SweepSpecs.read(job("sweep { space.train.learning-rate.uniform = [0.001, 0.01], strategy = asha, "
                        + "metric = accuracy, max-epochs = 27 }"));
        assertEquals(Mode.MAX, asha.mode());
        assertEquals(27, asha.maxEpochs());
        assertEquals(SweepSpec.SamplerKind.RANDOM, asha.sampler());
        assertEquals(SweepSpec.SchedulerKind.HALVING, asha.scheduler());
    }

    @Test
    void theOldStrategyKeyMapsOntoSamplerAndSchedulerAndRefusesAContradiction() {
        String space = "sweep { space.train.learning-rate.uniform = [0.001, 0.01], ";
        SweepSpec grid = SweepSpecs.read(job(space + "strategy = grid }"));
        assertEquals(SweepSpec.SamplerKind.GRID, grid.sampler());
        assertEquals(SweepSpec.SchedulerKind.NONE, grid.scheduler());
        SweepSpec random = SweepSpecs.read(job(space + "strategy = random, sampler = random }"));
        assertEquals(SweepSpec.SamplerKind.RANDOM, random.sampler());
        SweepSpec bohb = SweepSpecs.read(job(space + "sampler = tpe, scheduler = hyperband, n-startup = 4 }"));
        assertEquals(SweepSpec.SchedulerKind.HYPERBAND, bohb.scheduler());
        assertEquals(4, bohb.startup());
        assertEquals("tpe sampler, hyperband scheduler", bohb.describe());
        // Defaults: 20 trials, min-epochs 1, max-epochs train.epochs (9 here), eta 3: one round is 9 + 5 + 3 = 17.
        assertEquals(null, bohb.shortHyperband());
        assertEquals(
                "sweep.trials = 10 is less than one round of Hyperband's brackets (17 trials for min-epochs 1, "
                        + "max-epochs 9, eta 3): only the most aggressive brackets run; raise sweep.trials or min-epochs",
                SweepSpecs.read(job(space + "scheduler = hyperband, trials = 10 }"))
                        .shortHyperband());
        assertEquals(
                "sweep.strategy = asha means sweep.sampler = random and sweep.scheduler = halving; drop sweep.strategy "
                        + "and set sweep.sampler and sweep.scheduler alone",
                refusal("sweep { space.train.learning-rate.uniform = [0.001, 0.01], strategy = asha, "
                        + "scheduler = hyperband }"));
        assertEquals(
                "sweep.strategy: expected one of grid, random, asha (or, instead, sweep.sampler = grid | random | tpe "
                        + "and sweep.scheduler = none | halving | hyperband), got 'bohb'",
                refusal("sweep { space.train.learning-rate.uniform = [0.001, 0.01], strategy = bohb }"));
    }

    @Test
    void everyImportantHyperparameterIsSweepable() {
        JobSpec base = job("sweep.space { train.learning-rate.loguniform = [1e-4, 1e-1], train.epochs.int = [2, 8], "
                + "train.batch-size.choice = [64, 256], model.hidden.choice = [[16], [128, 64, 32]], "
                + "model.dropout.uniform = [0.0, 0.5], model.l2.loguniform = [1e-6, 1e-2], "
                + "train.optimizer.choice = [sgd, momentum, adam], model.activation.choice = [relu, tanh, sigmoid], "
                + "train.schedule.choice = [none, step, exponential, cosine, plateau], train.warmup-epochs.int = [0, 2], "
                + "model.threshold.choice = [0.5, auto] }");
        SweepSpec sweep = SweepSpecs.read(base);
        assertEquals(11, sweep.space().domains().size());
        Map<String, Object> params = sweep.space().sample(3, 0);
        JobSpec trial = SweepSpecs.trialSpec(base, params);
        assertEquals((Double) params.get("train.learning-rate"), trial.train().learningRate(), 1e-15);
        assertEquals(params.get("train.epochs"), trial.train().epochs());
        assertEquals(params.get("train.batch-size"), trial.train().batchSize());
        assertEquals(params.get("model.hidden"), trial.model().hidden());
        assertEquals(SpecLoaderNames.optimizer(params), trial.train().optimizer());
        assertEquals(
                Activation.valueOf(((String) params.get("model.activation")).toUpperCase()),
                trial.model().activation());
        assertEquals(
                ((String) params.get("train.schedule")).toUpperCase(),
                trial.train().schedule().type().name());
        assertEquals(params.get("train.warmup-epochs"), trial.train().schedule().warmupEpochs());
        assertEquals(
                String.valueOf(params.get("model.threshold")).equals("auto"),
                trial.model().threshold().auto());
    }

    /** Spec values to enum constants, as the loader reads them. */
    private static final class SpecLoaderNames {
        static Optimizer optimizer(Map<String, Object> params) {
            return Optimizer.valueOf(((String) params.get("train.optimizer")).toUpperCase());
        }
    }

    @Test
    void mistakesAreRefusedNamingTheSweptKey() {
        assertEquals(
                "sweep.space.train.lerning-rate: 'train.lerning-rate' is not a spec key, did you mean "
                        + "'train.learning-rate'?",
                refusal("sweep.space.train.lerning-rate.uniform = [0.1, 0.2]"));
        assertEquals(
                "sweep.space.data.nulls: 'data.nulls' cannot be swept: data, split and normalisation are prepared "
                        + "once for every trial; sweep model.* and train.* keys",
                refusal("sweep.space.data.nulls.choice = [drop, impute]"));
        assertEquals(
                "sweep.space.model.dropout: uniform takes [lo, hi], got [0.1]",
                refusal("sweep.space.model.dropout.uniform = [0.1]"));
        assertEquals(
                "sweep.space.model.dropout = 1.5: model.dropout must be in [0, 1), got 1.5",
                refusal("sweep.space.model.dropout.uniform = [0.0, 1.5]"));
        assertEquals(
                "sweep.space.train.optimizer = adamw: train.optimizer must be one of sgd, momentum, nesterovs, adam, "
                        + "adamax, nadam, amsgrad, rmsprop, adagrad, adadelta; got 'adamw'",
                refusal("sweep.space.train.optimizer.choice = [adam, adamw]"));
        assertEquals(
                "sweep.space is empty: name at least one spec key to sweep, e.g. \"train.learning-rate\" = "
                        + "{loguniform = [1e-4, 1e-2]}",
                refusal(""));
        assertEquals("sweep.eta must be >= 2, got 1", refusal("sweep { space.model.l2 = 0.1, eta = 1 }"));
        assertEquals(
                "unknown key 'sweep.trails' (String: 4), did you mean 'sweep.trials'?",
                assertThrows(SpecException.class, () -> job("sweep.trails = 3")).getMessage());
        assertEquals(
                "sweep.space.train.workers: set the workers of each trial with sweep.workers-per-trial",
                refusal("sweep.space.train.workers.choice = [1, 2]"));
        assertEquals(
                "sweep.space.train.epochs cannot be swept with sweep.scheduler = halving: the scheduler sets "
                        + "each trial's epochs (sweep.min-epochs, sweep.max-epochs, sweep.eta)",
                refusal("sweep { space.train.epochs.int = [2, 8], strategy = asha }"));
        assertEquals(
                "sweep.space.model.output-activation = softmax: changes how the label is encoded (one sigmoid "
                        + "column or one column per class), which is prepared once for every trial; fix it outside the sweep",
                refusal("sweep.space.model.output-activation.choice = [sigmoid, softmax]"));
    }

    @Test
    void theMetricDefaultsToTheEarlyStoppingMetricAndMustFitTheTask() {
        SweepSpec sweep = SweepSpecs.read(job("train.early-stopping.metric = macro-f1\nsweep.space.model.l2 = 0.1"));
        assertEquals(StoppingMetric.MACRO_F1, sweep.metric());
        assertEquals(Mode.MAX, sweep.mode());
        assertEquals(
                "sweep.metric = macro-f1 does not apply to task = regression",
                assertThrows(
                                SpecException.class,
                                () -> sweep.checkMetricApplies(io.trainyard.spec.data.Task.REGRESSION))
                        .getMessage());
    }

    @Test
    void everyNetworkFamilySweepsItsOwnKeys() {
        SweepSpec rnn = SweepSpecs.read(job("model.type = rnn\ndata.shape = [1, 12]\nsweep.space {\n"
                + "\"model.cell\" = {choice = [lstm, gru]}\n\"model.hidden\" = {choice = [[8], [16, 8]]}\n}"));
        assertEquals(
                java.util.Set.of("model.cell", "model.hidden"),
                rnn.space().domains().keySet());
        SweepSpec autoencoder = SweepSpecs.read(job("model.type = autoencoder\nsweep.space {\n"
                + "\"model.bottleneck\" = {int = [2, 6]}\n\"model.threshold-percentile\" = {uniform = [95, 99.5]}\n}"));
        assertEquals(
                java.util.Set.of("model.bottleneck", "model.threshold-percentile"),
                autoencoder.space().domains().keySet());
        String gan = "name = g\ndata.path = /x\nmodel.type = gan\nsweep.space {\n"
                + "\"model.gan.generator-learning-rate\" = {loguniform = [1e-4, 1e-2]}\n"
                + "\"model.gan.discriminator-steps\" = {int = [1, 3]}\n}\n";
        SweepSpec ganSweep = SweepSpecs.read(SpecLoader.fromConfig(ConfigFactory.parseString(gan), List.of()));
        assertEquals(StoppingMetric.MMD, ganSweep.metric());
        assertEquals(Mode.MIN, ganSweep.mode());
        assertEquals(
                "sweep.metric = accuracy does not apply to model.type = gan: a GAN is measured by the mmd "
                        + "between generated and validation rows (auto)",
                assertThrows(
                                SpecException.class,
                                () -> SweepSpecs.read(SpecLoader.fromConfig(
                                        ConfigFactory.parseString(gan + "sweep.metric = accuracy"), List.of())))
                        .getMessage());
        assertEquals(
                "sweep.metric = mmd applies to model.type = gan only",
                refusal("sweep.space.model.l2 = 0.1\n" + "sweep.metric = mmd"));
        assertEquals(
                "sweep.space.model.bottleneck = 0: model.bottleneck must be > 0, got 0",
                refusal("model.type = autoencoder\n" + "sweep.space.model.bottleneck = {int = [0, 4]}"));
    }

    @Test
    void aNullInTheSpaceUnsetsAKeyAnIncludedSpecSwept() {
        SweepSpec sweep = SweepSpecs.read(job("sweep.space { \"train.learning-rate\" = {loguniform = [1e-4, 1e-2]}, "
                + "\"model.l2\" = {uniform = [0.0, 0.1]} }\nsweep.space { \"model.l2\" = null }"));
        assertEquals(
                java.util.Set.of("train.learning-rate"), sweep.space().domains().keySet());
        assertEquals(
                "sweep.space is empty: name at least one spec key to sweep, e.g. \"train.learning-rate\" = "
                        + "{loguniform = [1e-4, 1e-2]}",
                refusal("sweep.space { \"model.l2\" = 0.1 }\nsweep.space { \"model.l2\" = null }"));
    }

    @Test
    void countsThatWouldOverflowAreRefusedAsSpecErrors() {
        assertEquals(
                "sweep.trials must be from 1 to 100000, got 2000000000",
                refusal("sweep { trials = 2000000000, space.\"model.seed\" = {int = [0, 9]} }"));
        // data.max-classes + 1 overflowed into a false "null values in label" error.
        assertEquals(
                "data.max-classes must be from 2 to 100000, got 2147483647",
                assertThrows(SpecException.class, () -> job("data.max-classes = 2147483647"))
                        .getMessage());
        assertEquals(
                "sweep.space.model.seed: int needs whole numbers lo <= hi, got [0, 3000000000]",
                refusal("sweep.space.\"model.seed\" = {int = [0, 3000000000]}"));
    }

    @Test
    void everySweepInJobsIsValid() throws Exception {
        List<String> swept = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("jobs"))) {
            for (java.nio.file.Path p :
                    files.filter(f -> f.toString().endsWith(".conf")).toList()) {
                JobSpec spec = SpecLoader.load(p, List.of());
                if (!spec.resolved().getObject(SpecLoader.SWEEP_SPACE).isEmpty()) {
                    SweepSpec sweep = SweepSpecs.read(spec);
                    assertFalse(sweep.space().domains().isEmpty(), p + ": no swept key");
                    // The first trial's spec loads: every swept value lands on a real key.
                    assertEquals(
                            spec.name(),
                            SweepSpecs.trialSpec(spec, sweep.space().sample(sweep.seed(), 0))
                                    .name());
                    swept.add(p.getFileName().toString());
                }
            }
        }
        // The shipped sweeps: the quickstart's and every family's example job.
        assertTrue(
                swept.containsAll(List.of(
                        "quickstart.conf",
                        "cnn-shapes.conf",
                        "rnn-forecast.conf",
                        "autoencoder-anomaly.conf",
                        "gan-mixture.conf")),
                "sweeps found: " + swept);
    }
}
