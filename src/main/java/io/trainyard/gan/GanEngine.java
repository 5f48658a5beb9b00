package io.trainyard.gan;

import io.trainyard.spec.GanSpec;
import io.trainyard.train.averaging.AveragingEngine;
import io.trainyard.train.averaging.AveragingRound;
import io.trainyard.train.averaging.WorkerPool;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Parameter averaging for a GAN: the rounds of {@link AveragingEngine} (the same minibatch choice per seed, one
 * Spark job and one broadcast per round, networks pooled on the executors), each round a {@link GanRound} in which
 * every worker alternates discriminator and generator steps, then the mean of both networks' parameters and updater
 * states.
 */
final class GanEngine implements AutoCloseable {
    private final JavaSparkContext sc;
    private final MultiLayerNetwork discriminator;
    private final MultiLayerNetwork stack;
    private final int generatorLayers;
    private final GanSpec gan;
    private final int workers;
    private final int frequency;
    private final long minibatches;
    private final int threads;
    private final Random rng;
    private final String id = UUID.randomUUID().toString();
    private final Broadcast<String> discriminatorConf;
    private final Broadcast<String> stackConf;
    private int rounds;

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
            int threads) {
        this.sc = sc;
        this.discriminator = discriminator;
        this.stack = stack;
        this.generatorLayers = generatorLayers;
        this.gan = gan;
        this.workers = workers;
        this.frequency = frequency;
        this.minibatches = minibatches;
        this.threads = threads;
        this.rng = new Random(seed);
        this.discriminatorConf =
                sc.broadcast(discriminator.getLayerWiseConfigurations().toJson());
        this.stackConf = sc.broadcast(stack.getLayerWiseConfigurations().toJson());
    }

    /** Advances past epochs a continued training already ran: their minibatch orders and their rounds' noise. */
    void skipEpochs(int epochs) {
        for (int e = 0; e < epochs; e++) {
            rng.nextLong();
            rounds += splitsPerEpoch();
        }
    }

    private int splitsPerEpoch() {
        return (int) AveragingEngine.roundsPerEpoch(minibatches, workers, frequency);
    }

    /** One pass over the real rows; returns the mean discriminator and generator losses of its last round. */
    double[] fitEpoch(JavaRDD<DataSet> train) {
        int splits = splitsPerEpoch();
        long splitSeed = rng.nextLong();
        double[] losses = {Double.NaN, Double.NaN};
        for (int split = 0; split < splits; split++) {
            float[] d = AveragingRound.flatten(discriminator);
            float[] s = AveragingRound.flatten(stack);
            float[] both = Arrays.copyOf(d, d.length + s.length);
            System.arraycopy(s, 0, both, d.length, s.length);
            Broadcast<float[]> state = sc.broadcast(both);
            GanRound round = new GanRound(
                    id,
                    discriminatorConf,
                    stackConf,
                    state,
                    d.length,
                    split,
                    splits,
                    splitSeed,
                    frequency,
                    generatorLayers,
                    gan.noise(),
                    gan.labelSmoothing(),
                    gan.discriminatorSteps(),
                    threads,
                    rounds);
            List<AveragingRound.Result> results =
                    train.mapPartitionsWithIndex(round::run, false).collect();
            state.destroy(false);
            rounds++;
            if (results.isEmpty()) {
                continue;
            }
            float[] mean = AveragingEngine.mean(results);
            AveragingRound.load(discriminator, Arrays.copyOfRange(mean, 0, d.length));
            AveragingRound.load(stack, Arrays.copyOfRange(mean, d.length, mean.length));
            losses[0] = results.stream()
                    .mapToDouble(AveragingRound.Result::score)
                    .average()
                    .orElse(Double.NaN);
            losses[1] = results.stream().mapToDouble(r -> r.loss(1)).average().orElse(Double.NaN);
        }
        return losses;
    }

    @Override
    public void close() {
        discriminatorConf.destroy(false);
        stackConf.destroy(false);
        WorkerPool.retire(id + "/discriminator");
        WorkerPool.retire(id + "/stack");
    }
}
