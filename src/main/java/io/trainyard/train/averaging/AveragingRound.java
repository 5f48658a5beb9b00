package io.trainyard.train.averaging;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One averaging round as it runs in a task: pick this round's minibatches from the partition, load the broadcast
 * parameters and updater state into pooled networks, let the family's {@link WorkerStep} train them, return their
 * state. The minibatch choice reproduces DL4J's balanced random split (same seeds, same order), so Trainyard's engine
 * and DL4J's master see the same minibatches in the same order.
 */
public final class AveragingRound implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String engine;
    private final List<Broadcast<String>> configurations;
    private final Broadcast<float[]> state;
    private final int[] stateLengths;
    private final WorkerStep.RoundPosition position;
    private final int splits;
    private final WorkerStep step;
    private final int threads;
    private final boolean failFirstAttempt;

    AveragingRound(
            String engine,
            List<Broadcast<String>> configurations,
            Broadcast<float[]> state,
            int[] stateLengths,
            WorkerStep.RoundPosition position,
            int splits,
            WorkerStep step,
            int threads,
            boolean failFirstAttempt) {
        this.engine = engine;
        this.configurations = new ArrayList<>(configurations);
        this.state = state;
        this.stateLengths = stateLengths;
        this.position = position;
        this.splits = splits;
        this.step = step;
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
            throw new IllegalStateException("failure injected by " + RoundRunner.FAIL_TASK_ONCE_IN_ROUND);
        }
        List<DataSet> mine = pick(partition, minibatches, position.split(), splits, position.splitSeed());
        if (mine.isEmpty()) {
            return Collections.emptyIterator();
        }
        WorkerThreads.limit(threads);
        MultiLayerNetwork[] networks = new MultiLayerNetwork[configurations.size()];
        try {
            float[] all = state.value();
            int at = 0;
            for (int i = 0; i < networks.length; i++) {
                networks[i] = WorkerPool.borrow(
                        engine + "/" + i, configurations.get(i).value());
                load(networks[i], Arrays.copyOfRange(all, at, at + stateLengths[i]));
                at += stateLengths[i];
            }
            WorkerStep.RoundPosition here = new WorkerStep.RoundPosition(
                    position.round(), position.split(), position.splitSeed(), partition, position.frequency());
            double[] losses = step.fit(networks, mine, here);
            List<float[]> states = new ArrayList<>();
            for (MultiLayerNetwork n : networks) {
                states.add(flatten(n));
            }
            return List.of(new Result(RoundRunner.concat(states), losses)).iterator();
        } finally {
            for (int i = 0; i < networks.length; i++) {
                if (networks[i] != null) {
                    WorkerPool.giveBack(engine + "/" + i, networks[i]);
                }
            }
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
