package io.trainyard.family;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.PreparedData;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.gan.GanEpoch;
import io.trainyard.gan.GanEvaluation;
import io.trainyard.gan.GanResult;
import io.trainyard.gan.GanState;
import io.trainyard.gan.GanTrainer;
import io.trainyard.model.GanFactory;
import io.trainyard.model.NetworkSummary;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.train.TrainingMemory;
import io.trainyard.train.averaging.WorkerThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GAN: discriminator and generator trained by {@link GanTrainer} (parameter averaging, each epoch measured by the MMD
 * between generated rows and a sample of the validation split, early stopping on it), the kept generator measured
 * against the test split once beside the untrained one, and published as {@code model/} with
 * {@code model.gan.samples} generated rows in the data's own columns as {@code generated/}. Every run and trial on
 * one prepared data set is measured against the same validation and test rows.
 */
public final class GanFamily implements ModelFamily<GanResult, GanFamily.Tested> {
    private static final Logger LOG = LoggerFactory.getLogger(GanFamily.class);

    private final PreparedData data;
    private final GanEvaluation evaluation;

    private GanFamily(PreparedData data, GanEvaluation evaluation) {
        this.data = data;
        this.evaluation = evaluation;
    }

    /** Refuses features a generator cannot produce (it writes numeric columns), then samples the evaluation rows. */
    static GanFamily of(JobSpec base, PreparedData data) {
        GanTrainer.requireNumeric(data.plan());
        return new GanFamily(data, GanEvaluation.of(data, base));
    }

    /** The test split's measure of the kept generator, beside the untrained one's. */
    public record Tested(double testMmd, double untrainedTestMmd) {}

    private GanFactory.Gan build(JobSpec spec) {
        return GanFactory.build(spec, data.plan().inputWidth());
    }

    @Override
    public String check(JavaSparkContext sc, JobSpec spec, int workers) {
        TrainingMemory.requireFits(sc, spec, workers, build(spec), data.plan().inputWidth());
        return NetworkSummary.describe(spec, data.plan().inputWidth(), null);
    }

    @Override
    public Map<String, Long> seeds(JobSpec spec) {
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("gan-evaluation", Seeds.derive(spec.model().seed(), "gan-evaluation"));
        seeds.put("gan-samples", Seeds.derive(spec.model().seed(), "gan-samples"));
        return seeds;
    }

    @Override
    public GanResult train(JavaSparkContext sc, JobSpec spec, int workers) {
        GanFactory.Gan gan = build(spec);
        return GanTrainer.train(
                sc,
                gan,
                GanState.fresh(gan),
                data,
                spec,
                workers,
                WorkerThreads.perWorker(sc, workers),
                evaluation,
                e -> LOG.info(e.describe(spec.train().epochs())));
    }

    @Override
    public TrialOutcome trainTrial(Trial trial, JobSpec spec) {
        Optional<GanCheckpoint.Loaded> previous = GanCheckpoint.latestBefore(trial.dir(), trial.epochs());
        previous.ifPresent(p -> TrialCheckpoint.pruneBefore(trial.dir(), p.budget()));
        GanFactory.Gan gan = build(spec);
        TrainingMemory.requireFits(
                trial.sc(), spec, trial.workers(), gan, data.plan().inputWidth());
        GanState from = previous.map(p -> p.result().last()).orElseGet(() -> GanState.fresh(gan));
        GanResult result = GanTrainer.train(
                trial.sc(),
                gan,
                from,
                trial.batches(),
                spec,
                trial.workers(),
                trial.threadsPerWorker(),
                evaluation,
                e -> {
                    trial.epochEnded().ended(e.epoch(), e.validationMmd());
                    LOG.debug("{} {}", trial.name(), e.describe(spec.train().epochs()));
                });
        double seconds =
                trial.seconds(previous.map(GanCheckpoint.Loaded::seconds).orElse(0.0));
        GanCheckpoint.save(trial.dir(), trial.epochs(), result, seconds);
        return TrialOutcome.succeeded(
                result.bestValidationMmd(),
                result.last().history().stream().map(GanEpoch::validationMmd).toList(),
                seconds);
    }

    @Override
    public GanResult loadTrial(JobSpec spec, Path trialDir, int epochs) {
        return GanCheckpoint.load(trialDir, epochs).result();
    }

    @Override
    public Published<Tested> publish(
            SparkSession spark,
            RunDirectory run,
            JobSpec spec,
            RunProvenance provenance,
            GanResult result,
            long startNanos) {
        GanFactory.Gan gan = build(spec);
        MultiLayerNetwork generator = result.bestGenerator(gan);
        double testMmd = evaluation.test(generator);
        // The untrained generator is the one the model's seed initialises: what training started from.
        double untrained = evaluation.test(
                GanResult.generator(gan, GanState.fresh(gan).stack().params()));
        Tested tested = new Tested(testMmd, untrained);
        LOG.info(String.format(
                "test (epoch %d generator, measured once): mmd^2 %.5f; untrained generator %.5f",
                result.bestEpoch(), testMmd, untrained));
        FeaturePlan plan = data.plan();
        ModelArtifact.publish(
                run,
                RunFiles.MODEL,
                generator,
                plan,
                data.normalizer(),
                "identity",
                ModelArtifact.GENERATOR,
                null,
                null,
                provenance);
        publishGenerated(
                spark,
                run,
                generator,
                plan,
                data.normalizer(),
                spec.model().gan().samples(),
                Seeds.derive(spec.model().seed(), "gan-samples"));
        GanMetrics metrics = new GanMetrics(
                result.bestEpoch(),
                result.stopReason(),
                new GanMetrics.Test(testMmd, untrained, evaluation.testRows(), evaluation.kernelWidth()),
                result.last().history(),
                (System.nanoTime() - startNanos) / 1e9);
        run.writeJson(RunFiles.METRICS, metrics);
        long reportSeed = Seeds.derive(spec.model().seed(), "gan-report");
        RunReports.write(run, () -> RunReports.gan(run, plan, result, evaluation, generator, testMmd, reportSeed));
        run.markSuccess();
        return new Published<>(run.root(), metrics, tested);
    }

    /** Generated rows in the original columns (de-normalised), written as Parquet. */
    private static void publishGenerated(
            SparkSession spark,
            RunDirectory run,
            MultiLayerNetwork generator,
            FeaturePlan plan,
            NormalizerStats stats,
            int samples,
            long seed) {
        double[][] rows = GanEvaluation.sample(generator, samples, seed);
        List<ModelInput> inputs = plan.scalarInputs();
        StructType schema = new StructType();
        for (ModelInput in : inputs) {
            schema = schema.add(in.name(), DataTypes.DoubleType, false);
        }
        List<Row> out = new ArrayList<>(rows.length);
        for (double[] r : rows) {
            Object[] values = new Object[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                values[i] = r[inputs.get(i).offset()] * stats.scale().get(i)
                        + stats.center().get(i);
            }
            out.add(RowFactory.create(values));
        }
        StructType finalSchema = schema;
        RunDirectory.publishDirectory(
                run.resolve(RunFiles.GENERATED),
                tmp -> spark.createDataFrame(out, finalSchema)
                        .coalesce(1)
                        .write()
                        .parquet(tmp.toString()));
    }
}
