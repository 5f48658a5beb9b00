package io.trainyard.job;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
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
import io.trainyard.train.TrainingMemory;
import io.trainyard.train.averaging.WorkerThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * A GAN training run: prepare the numeric features (normalised on train), train discriminator and generator
 * ({@link GanTrainer}: parameter averaging, each epoch measured by the MMD between generated rows and a sample of the
 * validation split, early stopping on it, the best epoch kept), measure the kept generator against the test
 * split once, next to the untrained generator, and publish the generator as {@code model/} and
 * {@code model.gan.samples} generated rows, de-normalised to the original columns, as {@code generated/}.
 */
public final class GanJob {
    private static final Logger LOG = LoggerFactory.getLogger(GanJob.class);

    /** What a finished run reports. */
    public record Outcome(Path runDirectory, int bestEpoch, double testMmd, double untrainedTestMmd, double seconds) {
        /** The test figures in a line. */
        public String testSummary() {
            return String.format(Locale.ROOT, "mmd^2 %.5f (untrained generator %.5f)", testMmd, untrainedTestMmd);
        }
    }

    private GanJob() {}

    public static Outcome run(SparkSession spark, JobSpec spec, Path out) {
        JobStart begun = JobStart.open(spark, spec, out);
        long start = begun.nanos();
        JavaSparkContext sc = begun.sc();
        int workers = begun.workers();
        RunDirectory run = begun.run();
        try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
            GanTrainer.requireNumeric(data.plan());
            int width = data.plan().inputWidth();
            GanFactory.Gan gan = GanFactory.build(spec, width);
            TrainingMemory.requireFits(sc, spec, workers, gan, width);
            Provenance.record(run, spec, data, spark);
            begun.logTraining(LOG, spec, NetworkSummary.describe(spec, width, null));
            GanEvaluation evaluation = GanEvaluation.of(data, spec);
            GanResult result = GanTrainer.train(
                    sc,
                    gan,
                    GanState.fresh(gan),
                    data,
                    spec,
                    workers,
                    WorkerThreads.perWorker(sc, workers),
                    evaluation,
                    e -> LOG.info(e.describe(spec.train().epochs())));
            return publish(spark, run, data, spec, gan, evaluation, result, start);
        }
    }

    /**
     * Measures the kept generator once on the test split, next to the untrained one, and publishes it into
     * {@code run}: {@code model/}, {@code generated/}, {@code metrics.json}, then {@code _SUCCESS}. The run's
     * {@code run.json} and {@code data/} are written before training.
     *
     * @param startNanos when the run began ({@link System#nanoTime()}), for its wall time
     */
    public static Outcome publish(
            SparkSession spark,
            RunDirectory run,
            PreparedData data,
            JobSpec spec,
            GanFactory.Gan gan,
            GanEvaluation evaluation,
            GanResult result,
            long startNanos) {
        MultiLayerNetwork generator = result.bestGenerator(gan);
        double testMmd = evaluation.test(generator);
        // The untrained generator is the one the model's seed initialises: what training started from.
        double untrained = evaluation.test(
                GanResult.generator(gan, GanState.fresh(gan).stack().params()));
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
                null);
        publishGenerated(
                spark,
                run,
                generator,
                plan,
                data.normalizer(),
                spec.model().gan().samples(),
                Seeds.derive(spec.model().seed(), "gan-samples"));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("best_epoch", result.bestEpoch());
        doc.put("stop_reason", result.stopReason());
        doc.put(
                "test",
                Map.of(
                        "mmd2",
                        testMmd,
                        "untrained_generator_mmd2",
                        untrained,
                        "rows",
                        evaluation.testRows(),
                        "kernel_width",
                        evaluation.kernelWidth()));
        doc.put("history", result.last().history());
        doc.put("seconds", seconds);
        run.writeJson(RunFiles.METRICS, doc);
        long reportSeed = Seeds.derive(spec.model().seed(), "gan-report");
        RunReports.write(run, () -> RunReports.gan(run, plan, result, evaluation, generator, testMmd, reportSeed));
        run.markSuccess();
        return new Outcome(run.root(), result.bestEpoch(), testMmd, untrained, seconds);
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
