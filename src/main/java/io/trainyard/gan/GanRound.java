package io.trainyard.gan;

import io.trainyard.spec.Seeds;
import io.trainyard.train.averaging.AveragingRound;
import io.trainyard.train.averaging.WorkerPool;
import io.trainyard.train.averaging.WorkerThreads;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One GAN averaging round as it runs in a task. For each of its minibatches of real rows (the same choice as
 * {@link AveragingRound}), the worker alternates: {@code discriminatorSteps} discriminator steps on the real rows
 * (target {@code smoothing}) and as many generated ones (target 0), then one generator step through the stack, whose
 * discriminator half is first set to the discriminator's current parameters. Both networks' parameters and updater
 * state go back to be averaged. Noise is drawn from ND4J's generator seeded per round and partition.
 */
final class GanRound implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String engine;
    private final Broadcast<String> discriminatorConf;
    private final Broadcast<String> stackConf;
    private final Broadcast<float[]> state;
    private final int discriminatorState;
    private final int split;
    private final int splits;
    private final long splitSeed;
    private final int frequency;
    private final int generatorLayers;
    private final int noise;
    private final double smoothing;
    private final int discriminatorSteps;
    private final int threads;
    private final int round;

    GanRound(
            String engine,
            Broadcast<String> discriminatorConf,
            Broadcast<String> stackConf,
            Broadcast<float[]> state,
            int discriminatorState,
            int split,
            int splits,
            long splitSeed,
            int frequency,
            int generatorLayers,
            int noise,
            double smoothing,
            int discriminatorSteps,
            int threads,
            int round) {
        this.engine = engine;
        this.discriminatorConf = discriminatorConf;
        this.stackConf = stackConf;
        this.state = state;
        this.discriminatorState = discriminatorState;
        this.split = split;
        this.splits = splits;
        this.splitSeed = splitSeed;
        this.frequency = frequency;
        this.generatorLayers = generatorLayers;
        this.noise = noise;
        this.smoothing = smoothing;
        this.discriminatorSteps = discriminatorSteps;
        this.threads = threads;
        this.round = round;
    }

    Iterator<AveragingRound.Result> run(Integer partition, Iterator<DataSet> minibatches) {
        List<DataSet> mine = AveragingRound.pick(partition, minibatches, split, splits, splitSeed);
        if (mine.isEmpty()) {
            return Collections.emptyIterator();
        }
        WorkerThreads.limit(threads);
        MultiLayerNetwork d = WorkerPool.borrow(engine + "/discriminator", discriminatorConf.value());
        MultiLayerNetwork stack = WorkerPool.borrow(engine + "/stack", stackConf.value());
        try {
            float[] all = state.value();
            AveragingRound.load(d, Arrays.copyOfRange(all, 0, discriminatorState));
            AveragingRound.load(stack, Arrays.copyOfRange(all, discriminatorState, all.length));
            // Pooled networks count their own iterations; set them from the round so Adam's steps do not depend on
            // which pooled network a task is given.
            d.getLayerWiseConfigurations().setIterationCount(round * frequency * discriminatorSteps);
            stack.getLayerWiseConfigurations().setIterationCount(round * frequency);
            Nd4j.getRandom().setSeed(Seeds.derive(splitSeed, "gan-worker", (long) split * 1_000_003L + partition));
            long generatorParams = generatorParams(stack, generatorLayers);
            double dLoss = 0;
            double gLoss = 0;
            int fitted = 0;
            for (DataSet real : mine) {
                if (fitted++ == frequency) {
                    break;
                }
                int rows = real.numExamples();
                for (int s = 0; s < discriminatorSteps; s++) {
                    INDArray fake = generate(stack, generatorLayers, Nd4j.randn(DataType.FLOAT, rows, noise));
                    INDArray x = Nd4j.vstack(real.getFeatures(), fake);
                    INDArray y = Nd4j.vstack(
                            Nd4j.valueArrayOf(new long[] {rows, 1}, smoothing, DataType.FLOAT),
                            Nd4j.zeros(DataType.FLOAT, rows, 1));
                    d.fit(new DataSet(x, y));
                    dLoss += d.score();
                }
                stack.params()
                        .get(
                                NDArrayIndex.interval(0, 0, true),
                                NDArrayIndex.interval(generatorParams, stack.numParams()))
                        .assign(d.params());
                stack.fit(new DataSet(Nd4j.randn(DataType.FLOAT, rows, noise), Nd4j.ones(DataType.FLOAT, rows, 1)));
                gLoss += stack.score();
            }
            int steps = Math.min(fitted, frequency);
            float[] dState = AveragingRound.flatten(d);
            float[] sState = AveragingRound.flatten(stack);
            float[] out = Arrays.copyOf(dState, dState.length + sState.length);
            System.arraycopy(sState, 0, out, dState.length, sState.length);
            return List.of(new AveragingRound.Result(out, dLoss / (steps * discriminatorSteps), gLoss / steps))
                    .iterator();
        } finally {
            WorkerPool.giveBack(engine + "/discriminator", d);
            WorkerPool.giveBack(engine + "/stack", stack);
        }
    }

    /** Parameters of the stack's first {@code layers} layers (the generator's). */
    static long generatorParams(MultiLayerNetwork stack, int layers) {
        long n = 0;
        for (int i = 0; i < layers; i++) {
            n += stack.getLayer(i).numParams();
        }
        return n;
    }

    /** Generated rows: the activations of the stack's last generator layer. */
    static INDArray generate(MultiLayerNetwork stack, int generatorLayers, INDArray noise) {
        return stack.feedForwardToLayer(generatorLayers - 1, noise, false).get(generatorLayers);
    }
}
