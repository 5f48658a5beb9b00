package io.trainyard.train;

import io.trainyard.data.DataArtifacts;
import io.trainyard.data.DataException;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.FeaturePlan;
import io.trainyard.data.ModelInput;
import io.trainyard.data.NormalizerStats;
import io.trainyard.data.PreparedData;
import io.trainyard.model.GanFactory;
import io.trainyard.model.NetworkFactory;
import io.trainyard.run.Provenance;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GAN training run: prepare the numeric features (normalised on train), train discriminator and generator by
 * parameter averaging ({@link GanEngine}), measure each epoch by the MMD between generated rows and a sample of the
 * validation split, keep the best epoch (early stopping on that MMD), measure the kept generator against the test
 * split once, next to the untrained generator, and publish the generator as {@code model/} and
 * {@code model.gan.samples} generated rows, de-normalised to the original columns, as {@code generated/}.
 */
public final class GanJob {
    private static final Logger LOG = LoggerFactory.getLogger(GanJob.class);
    public static final String GENERATED = "generated";
    /** The loss a generator's {@code model.json} records: it has none of its own (the discriminator judges it). */
    public static final String GENERATOR_LOSS = "none";
    /** Rows of a split the MMD is measured on (it is quadratic in them). */
    private static final int EVALUATION_ROWS = 1500;

    /** What a finished run reports. */
    public record Outcome(Path runDirectory, int bestEpoch, double testMmd, double untrainedTestMmd, double seconds) {
    }

    /** One epoch: mean losses of its last round and the validation MMD. */
    public record GanEpoch(int epoch, double discriminatorLoss, double generatorLoss, double validationMmd,
                           double seconds) {
    }

    private GanJob() {
    }

    public static Outcome run(SparkSession spark, JobSpec spec, Path out) {
        long start = System.nanoTime();
        RunDirectory run = RunDirectory.open(out);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int workers = spec.train().workersOr(sc.defaultParallelism());
        try (PreparedData data = DataPreparer.prepare(spark, spec, true)) {
            FeaturePlan plan = data.plan();
            for (ModelInput in : plan.inputs()) {
                if (in.categorical() || in.part() != null) {
                    throw new DataException("data.features: model.type = gan generates numeric columns; '"
                            + in.feature() + "' is " + (in.categorical() ? "categorical" : "a timestamp"));
                }
            }
            int width = plan.inputWidth();
            GanFactory.Gan gan = GanFactory.build(spec, width);
            run.writeJson("run.json", Provenance.of(spec, data.source(), spark));
            DataArtifacts.write(run, data);
            MultiLayerNetwork discriminator = new MultiLayerNetwork(gan.discriminator());
            discriminator.init();
            MultiLayerNetwork stack = new MultiLayerNetwork(gan.stack());
            stack.init();
            LOG.info("training {}: {}, {} worker(s), batch {}, averaging every {} minibatches", spec.name(),
                    NetworkFactory.describe(spec, width, null), workers,
                    spec.train().batchSize(), spec.train().averagingFrequency());

            double[][] validation = rows(data.validation());
            double[][] test = rows(data.test());
            double kernel = Mmd.medianDistance(validation);
            long evaluationSeed = Seeds.derive(spec.model().seed(), "gan-evaluation");
            int noise = spec.model().gan().noise();
            double untrained = Mmd.multiScale(sample(generator(gan, stack), test.length, noise, evaluationSeed), test,
                    kernel);

            int threads = WorkerThreads.perWorker(sc, workers);
            if (sc.isLocal()) {
                WorkerThreads.limit(threads);
            }
            EarlyStopping stopping = new EarlyStopping(spec.train().earlyStopping());
            List<GanEpoch> history = new ArrayList<>();
            INDArray best = stack.params().dup();
            try (GanEngine engine = new GanEngine(sc, discriminator, stack, gan.generatorLayers(), spec.model().gan(),
                    workers, spec.train().averagingFrequency(), data.manifest().minibatches().get(0),
                    Seeds.derive(spec.model().seed(), "training-master"), threads)) {
                for (int epoch = 1; epoch <= spec.train().epochs() && !stopping.shouldStop(); epoch++) {
                    long begin = System.nanoTime();
                    double[] losses = engine.fitEpoch(data.train());
                    if (!Double.isFinite(losses[0]) || !Double.isFinite(losses[1])) {
                        throw new TrainingDivergedException("training diverged at epoch " + epoch
                                + ": discriminator loss " + losses[0] + ", generator loss " + losses[1]
                                + "; lower model.gan.generator-learning-rate and discriminator-learning-rate");
                    }
                    double mmd = Mmd.multiScale(sample(generator(gan, stack), validation.length, noise, evaluationSeed),
                            validation, kernel);
                    GanEpoch e = new GanEpoch(epoch, losses[0], losses[1], mmd, (System.nanoTime() - begin) / 1e9);
                    history.add(e);
                    LOG.info(String.format("epoch %d/%d  discriminator loss %.4f  generator loss %.4f  validation "
                            + "mmd^2 %.5f  %.1fs", epoch, spec.train().epochs(), losses[0], losses[1], mmd, e.seconds()));
                    if (stopping.record(epoch, mmd)) {
                        best = stack.params().dup();
                    }
                }
            }
            stack.setParams(best);
            MultiLayerNetwork generator = generator(gan, stack);
            double testMmd = Mmd.multiScale(sample(generator, test.length, noise, evaluationSeed), test, kernel);
            LOG.info(String.format("test (epoch %d generator, measured once): mmd^2 %.5f; untrained generator %.5f",
                    stopping.bestEpoch(), testMmd, untrained));
            ModelArtifact.publish(run, TrainJob.MODEL_DIR, generator, plan, data.normalizer(), "identity", GENERATOR_LOSS,
                    null);
            publishGenerated(spark, run, generator, plan, data.normalizer(), spec.model().gan().samples(), noise,
                    Seeds.derive(spec.model().seed(), "gan-samples"));
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("best_epoch", stopping.bestEpoch());
            doc.put("test", Map.of("mmd2", testMmd, "untrained_generator_mmd2", untrained, "rows", test.length,
                    "kernel_width", kernel));
            doc.put("history", history);
            doc.put("seconds", seconds);
            run.writeJson(TrainJob.METRICS, doc);
            run.markSuccess();
            return new Outcome(run.root(), stopping.bestEpoch(), testMmd, untrained, seconds);
        }
    }

    /** The generator alone, with the stack's generator parameters. */
    static MultiLayerNetwork generator(GanFactory.Gan gan, MultiLayerNetwork stack) {
        MultiLayerNetwork g = new MultiLayerNetwork(gan.generator());
        g.init();
        long n = GanRound.generatorParams(stack, gan.generatorLayers());
        g.setParams(stack.params().get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, n)).dup());
        return g;
    }

    /** {@code n} generated rows (normalised) from noise of a fixed seed. */
    static double[][] sample(MultiLayerNetwork generator, int n, int noise, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return generator.output(Nd4j.randn(DataType.FLOAT, n, noise)).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** Up to {@link #EVALUATION_ROWS} rows of a split's features (its first minibatches). */
    private static double[][] rows(JavaRDD<DataSet> split) {
        List<double[]> out = new ArrayList<>();
        int minibatches = 1;
        List<DataSet> taken = split.take(minibatches);
        while (true) {
            out.clear();
            for (DataSet ds : taken) {
                for (double[] r : ds.getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix()) {
                    out.add(r);
                }
            }
            if (out.size() >= EVALUATION_ROWS || taken.size() < minibatches) {
                break;
            }
            minibatches *= 2;
            taken = split.take(minibatches);
        }
        return out.subList(0, Math.min(out.size(), EVALUATION_ROWS)).toArray(double[][]::new);
    }

    /** Generated rows in the original columns (de-normalised), written as Parquet. */
    private static void publishGenerated(SparkSession spark, RunDirectory run, MultiLayerNetwork generator,
                                         FeaturePlan plan, NormalizerStats stats, int samples, int noise, long seed) {
        double[][] rows = sample(generator, samples, noise, seed);
        List<ModelInput> inputs = plan.scalarInputs();
        StructType schema = new StructType();
        for (ModelInput in : inputs) {
            schema = schema.add(in.name(), DataTypes.DoubleType, false);
        }
        List<Row> out = new ArrayList<>(rows.length);
        for (double[] r : rows) {
            Object[] values = new Object[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                values[i] = r[inputs.get(i).offset()] * stats.scale().get(i) + stats.center().get(i);
            }
            out.add(RowFactory.create(values));
        }
        StructType finalSchema = schema;
        RunDirectory.publishDirectory(run.resolve(GENERATED),
                tmp -> spark.createDataFrame(out, finalSchema).coalesce(1).write().parquet(tmp.toString()));
    }
}
