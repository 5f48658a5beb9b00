package io.trainyard.gan;

import io.trainyard.data.PreparedData;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.source.DataException;
import io.trainyard.model.GanFactory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.train.StoppingMetric;
import io.trainyard.spec.train.TrainSpec;
import io.trainyard.train.EarlyStopping;
import io.trainyard.train.EpochLoop;
import io.trainyard.train.TrainingDivergedException;
import io.trainyard.train.averaging.WorkerThreads;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a GAN's two networks by parameter averaging ({@link GanEngine}) for up to {@code train.epochs} epochs in all,
 * measuring each epoch's generator against the validation rows, keeping the best epoch's stack and stopping early when
 * the MMD stops improving. A continued start replays its history into early stopping and the engine skips the
 * epochs already done, so training 3 epochs and continuing to 9 ends as training 9 at once does.
 */
public final class GanTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(GanTrainer.class);

    private GanTrainer() {}

    /**
     * @param threads ND4J threads per worker (fewer when several trainings share the executors)
     * @param onEpoch told about every epoch as it ends
     */
    public static GanResult train(
            JavaSparkContext sc,
            GanFactory.Gan gan,
            GanState start,
            PreparedData data,
            JobSpec spec,
            int workers,
            int threads,
            GanEvaluation evaluation,
            Consumer<GanEpoch> onEpoch) {
        if (sc.isLocal()) {
            WorkerThreads.limit(threads);
        }
        TrainSpec train = spec.train();
        INDArray[] best = {start.bestStack()};
        EpochLoop.Outcome<GanEpoch> done;
        try (GanEngine engine = new GanEngine(
                sc,
                start.discriminator(),
                start.stack(),
                gan.generatorLayers(),
                spec.model().gan(),
                workers,
                train.averagingFrequency(),
                data.manifest().minibatches().get(0),
                Seeds.derive(spec.model().seed(), "training-master"),
                threads,
                train.step())) {
            engine.skipEpochs(start.history().size());
            EpochLoop.Family<GanEpoch> family = new EpochLoop.Family<>() {
                @Override
                public GanEpoch epoch(int epoch, List<Boolean> improved) {
                    long begin = System.nanoTime();
                    double[] losses = engine.fitEpoch(data.train());
                    if (!Double.isFinite(losses[0]) || !Double.isFinite(losses[1])) {
                        throw new TrainingDivergedException("training diverged at epoch " + epoch
                                + ": discriminator loss " + losses[0] + ", generator loss " + losses[1]
                                + "; lower model.gan.generator-learning-rate and discriminator-learning-rate");
                    }
                    double mmd = evaluation.validation(
                            GanResult.generator(gan, start.stack().params()));
                    return new GanEpoch(epoch, losses[0], losses[1], mmd, (System.nanoTime() - begin) / 1e9);
                }

                @Override
                public double validation(GanEpoch record) {
                    return record.validationMmd();
                }

                @Override
                public void keepBest() {
                    best[0] = start.stack().params().dup();
                }
            };
            done = EpochLoop.run(
                    family,
                    start.history(),
                    new EarlyStopping(train.earlyStopping(), StoppingMetric.MMD),
                    train.epochs(),
                    onEpoch);
        }
        return new GanResult(
                new GanState(start.discriminator(), start.stack(), done.history(), best[0]),
                done.bestEpoch(),
                done.reason(),
                done.stopped());
    }

    /** A GAN generates numeric columns: categorical and timestamp features are refused by name. */
    public static void requireNumeric(FeaturePlan plan) {
        for (ModelInput in : plan.inputs()) {
            if (in.categorical() || in.part() != null) {
                throw new DataException("data.features: model.type = gan generates numeric columns; '" + in.feature()
                        + "' is " + (in.categorical() ? "categorical" : "a timestamp"));
            }
        }
    }
}
