package io.trainyard.gan;

import io.trainyard.spec.model.GanSpec;
import io.trainyard.spec.train.StepKind;
import io.trainyard.train.averaging.AveragingRound;
import io.trainyard.train.averaging.RoundRunner;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Parameter averaging for a GAN: {@link RoundRunner}'s rounds (the same minibatch choice per seed, one Spark job and
 * one broadcast per round, networks pooled on the executors) over the discriminator and the generator stack together,
 * each worker taking the {@link GanStep}, then the mean of both networks' parameters and updater states.
 */
final class GanEngine implements AutoCloseable {
    private final RoundRunner rounds;
    private final GanStep step;

    GanEngine(
            JavaSparkContext sc,
            MultiLayerNetwork discriminator,
            MultiLayerNetwork stack,
            int generatorLayers,
            GanSpec gan,
            int workers,
            int frequency,
            long minibatches,
            long seed,
            int threads,
            StepKind kind) {
        this.rounds = new RoundRunner(
                sc, new MultiLayerNetwork[] {discriminator, stack}, workers, frequency, minibatches, seed, threads);
        this.step = new GanStep(generatorLayers, gan.noise(), gan.labelSmoothing(), gan.discriminatorSteps(), kind);
    }

    /** Advances past epochs a continued training already ran: their minibatch orders and their rounds' noise. */
    void skipEpochs(int epochs) {
        rounds.skipEpochs(epochs);
    }

    /** One pass over the real rows; returns the mean discriminator and generator losses of its last round. */
    double[] fitEpoch(JavaRDD<DataSet> train) {
        int splits = rounds.roundsPerEpoch();
        long splitSeed = rounds.nextEpochSeed();
        double[] losses = {Double.NaN, Double.NaN};
        for (int split = 0; split < splits; split++) {
            List<AveragingRound.Result> results = rounds.round(train, split, splits, splitSeed, step);
            if (!results.isEmpty()) {
                losses[0] = RoundRunner.meanLoss(results, 0);
                losses[1] = RoundRunner.meanLoss(results, 1);
            }
        }
        return losses;
    }

    @Override
    public void close() {
        rounds.close();
    }
}
