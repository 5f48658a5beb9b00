package io.trainyard.train.averaging;

import io.trainyard.spec.Seeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One averaging round as it runs in a task: pick this round's minibatches from the partition, load the broadcast
 * parameters and updater state into a pooled network, fit up to {@code frequency} minibatches, return the result.
 * The minibatch choice reproduces DL4J's balanced random split (same seeds, same order), so both engines see the
 * same minibatches in the same order.
 */
public final class AveragingRound implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String engine;
    private final Broadcast<String> configuration;
    private final Broadcast<float[]> state;
    private final int split;
    private final int splits;
    private final long splitSeed;
    private final int frequency;
    private final int batchSize;
    private final int iteration;
    private final int epoch;
    /** The driver network's rate this round (a schedule changes it between epochs); pooled networks follow it. */
    private final double learningRate;

    private final int threads;
    private final boolean failFirstAttempt;

    AveragingRound(
            String engine,
            Broadcast<String> configuration,
            Broadcast<float[]> state,
            int split,
            int splits,
            long splitSeed,
            int frequency,
            int batchSize,
            int iteration,
            int epoch,
            double learningRate,
            int threads,
            boolean failFirstAttempt) {
        this.engine = engine;
        this.configuration = configuration;
        this.state = state;
        this.split = split;
        this.splits = splits;
        this.splitSeed = splitSeed;
        this.frequency = frequency;
        this.batchSize = batchSize;
        this.iteration = iteration;
        this.epoch = epoch;
        this.learningRate = learningRate;
        this.threads = threads;
        this.failFirstAttempt = failFirstAttempt;
    }

    /**
     * What a task sends back: the state of the networks it trained (parameters and updater state, concatenated) and
     * their losses, one per network (a network round's one, a GAN round's discriminator and generator). A plain class,
     * not a record: task results travel through Spark's Kryo 4, which cannot build records.
     */
    public static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;
        private float[] state;
        private double[] losses;

        public Result(float[] state, double... losses) {
            this.state = state;
            this.losses = losses;
        }

        float[] state() {
            return state;
        }

        /** The first network's loss. */
        public double score() {
            return losses[0];
        }

        /** The loss of network {@code i} of the round. */
        public double loss(int i) {
            return losses[i];
        }
    }

    Iterator<Result> run(Integer partition, Iterator<DataSet> minibatches) {
        if (failFirstAttempt && partition == 0 && TaskContext.get().attemptNumber() == 0) {
            throw new IllegalStateException("failure injected by " + AveragingEngine.FAIL_TASK_ONCE_IN_ROUND);
        }
        List<DataSet> mine = pick(partition, minibatches, split, splits, splitSeed);
        if (mine.isEmpty()) {
            return Collections.emptyIterator();
        }
        WorkerThreads.limit(threads);
        MultiLayerNetwork net = WorkerPool.borrow(engine, configuration.value());
        try {
            if (!Double.isNaN(learningRate)) {
                LearningRates.set(net, learningRate);
            }
            load(net, state.value());
            net.getLayerWiseConfigurations().setIterationCount(iteration);
            net.getLayerWiseConfigurations().setEpochCount(epoch);
            // Dropout draws from ND4J's per-thread generator, and Spark hands a partition to whichever task thread is
            // free: seeded per round and partition, the masks (and so the trained weights) are the same every run.
            Nd4j.getRandom().setSeed(Seeds.derive(splitSeed, "worker-random", (long) split * 1_000_003L + partition));
            // Re-batching to batchSize and the cap of `frequency` minibatches per round are DL4J's worker semantics.
            DataSetIterator batches = new IteratorDataSetIterator(mine.iterator(), batchSize);
            int fitted = 0;
            while (batches.hasNext() && fitted++ < frequency) {
                net.fit(batches.next());
            }
            return List.of(new Result(flatten(net), net.score())).iterator();
        } finally {
            WorkerPool.giveBack(engine, net);
        }
    }

    /**
     * This round's minibatches of the partition: DL4J's SplitPartitionsFunction, without copying the rest.
     * Round {@code split} of {@code splits} this epoch; {@code splitSeed} is the epoch's.
     */
    public static List<DataSet> pick(
            int partition, Iterator<DataSet> minibatches, int split, int splits, long splitSeed) {
        List<DataSet> out = new ArrayList<>();
        if (splits == 1) {
            minibatches.forEachRemaining(out::add);
            return out;
        }
        Random r = new Random(splitSeed + partition);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            order.add(i);
        }
        int i = 0;
        while (minibatches.hasNext()) {
            if (i % splits == 0) {
                Collections.shuffle(order, r);
            }
            DataSet next = minibatches.next();
            if (order.get(i % splits) == split) {
                out.add(next);
            }
            i++;
        }
        return out;
    }

    /** The inverse of {@link #flatten}: puts parameters and updater state back into a network. */
    public static void load(MultiLayerNetwork net, float[] state) {
        int paramCount = (int) net.numParams();
        net.params()
                .assign(Nd4j.createFromArray(Arrays.copyOfRange(state, 0, paramCount))
                        .reshape(net.params().shape()));
        INDArray updater = net.getUpdater().getStateViewArray();
        if (updater != null) {
            updater.assign(Nd4j.createFromArray(Arrays.copyOfRange(state, paramCount, state.length))
                    .reshape(updater.shape()));
        }
    }

    /** Parameters then updater state, as one array: what a round broadcasts and what a task returns. */
    public static float[] flatten(MultiLayerNetwork net) {
        float[] params = net.params().toFloatVector();
        INDArray updater = net.getUpdater().getStateViewArray();
        if (updater == null) {
            return params;
        }
        float[] u = updater.toFloatVector();
        float[] out = Arrays.copyOf(params, params.length + u.length);
        System.arraycopy(u, 0, out, params.length, u.length);
        return out;
    }
}
