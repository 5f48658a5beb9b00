package io.trainyard.train.averaging;

import java.util.ArrayList;
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
 * The rounds of parameter averaging, for any number of networks trained together: each round broadcasts the
 * networks' parameters and updater state as one float array, runs one Spark job over the persisted partitions (an
 * {@link AveragingRound} per task with the family's {@link WorkerStep}), and loads the mean of what the tasks return
 * back into the networks. The epoch's minibatch order comes from one seeded generator, as in DL4J's master.
 */
public final class RoundRunner implements AutoCloseable {
    /**
     * Fault injection for the cluster tests: the first attempt of partition 0's task in this averaging round (counted
     * from 0 over the run) fails, so Spark must retry it. Unset in normal runs.
     */
    public static final String FAIL_TASK_ONCE_IN_ROUND = "spark.trainyard.fault.fail-task-once-in-round";

    private final JavaSparkContext sc;
    private final MultiLayerNetwork[] networks;
    private final int workers;
    private final int frequency;
    private final long minibatches;
    private final int threads;
    private final Random rng;
    private final String id = UUID.randomUUID().toString();
    private final List<Broadcast<String>> configurations = new ArrayList<>();
    private final int failTaskOnceInRound;
    private int rounds;

    /**
     * @param minibatches how many DataSet objects the training RDD holds (known from preparation; never counted here)
     * @param seed        the seed DL4J's master would be built with ({@code rngSeed})
     * @param threads     ND4J threads each worker's task may use
     */
    public RoundRunner(
            JavaSparkContext sc,
            MultiLayerNetwork[] networks,
            int workers,
            int frequency,
            long minibatches,
            long seed,
            int threads) {
        this.sc = sc;
        this.networks = networks;
        this.workers = workers;
        this.frequency = frequency;
        this.minibatches = minibatches;
        this.threads = threads;
        this.rng = new Random(seed);
        for (MultiLayerNetwork n : networks) {
            configurations.add(sc.broadcast(n.getLayerWiseConfigurations().toJson()));
        }
        this.failTaskOnceInRound = sc.getConf().getInt(FAIL_TASK_ONCE_IN_ROUND, -1);
    }

    /** Rounds in one epoch: DL4J's split arithmetic. */
    public int roundsPerEpoch() {
        return (int) roundsPerEpoch(minibatches, workers, frequency);
    }

    /** DL4J's split arithmetic: rounds per epoch for this many minibatches, workers and averaging frequency. */
    public static long roundsPerEpoch(long minibatches, int workers, int frequency) {
        long perSplit = (long) workers * frequency;
        return minibatches <= perSplit ? 1 : minibatches / perSplit;
    }

    /** The next epoch's minibatch-order seed. */
    public long nextEpochSeed() {
        return rng.nextLong();
    }

    /** Draws what {@code epochs} epochs drew, and counts their rounds, for a continued training. */
    public void skipEpochs(int epochs) {
        for (int e = 0; e < epochs; e++) {
            rng.nextLong();
            rounds += roundsPerEpoch();
        }
    }

    /**
     * Runs round {@code split} of {@code splits} of an epoch with {@code step} on every partition, and loads the mean
     * state into the networks; returns the tasks' results (empty when no partition had minibatches this round).
     */
    public List<AveragingRound.Result> round(
            JavaRDD<DataSet> train, int split, int splits, long splitSeed, WorkerStep step) {
        int[] lengths = new int[networks.length];
        List<float[]> states = new ArrayList<>();
        for (int i = 0; i < networks.length; i++) {
            states.add(AveragingRound.flatten(networks[i]));
            lengths[i] = states.get(i).length;
        }
        Broadcast<float[]> state = sc.broadcast(concat(states));
        AveragingRound round = new AveragingRound(
                id,
                configurations,
                state,
                lengths,
                new WorkerStep.RoundPosition(rounds, split, splitSeed, 0, frequency),
                splits,
                step,
                threads,
                rounds == failTaskOnceInRound);
        List<AveragingRound.Result> results =
                train.mapPartitionsWithIndex(round::run, false).collect();
        state.destroy(false);
        rounds++;
        if (!results.isEmpty()) {
            float[] mean = mean(results);
            int at = 0;
            for (int i = 0; i < networks.length; i++) {
                AveragingRound.load(networks[i], Arrays.copyOfRange(mean, at, at + lengths[i]));
                at += lengths[i];
            }
        }
        return results;
    }

    /** The mean of the workers' states: parameter averaging itself. */
    public static float[] mean(List<AveragingRound.Result> results) {
        float[] sum = new float[results.get(0).state().length];
        for (AveragingRound.Result r : results) {
            float[] s = r.state();
            for (int i = 0; i < s.length; i++) {
                sum[i] += s[i];
            }
        }
        float workers = results.size();
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= workers;
        }
        return sum;
    }

    /** The mean over the round's tasks of network {@code i}'s loss; NaN for a round no task ran. */
    public static double meanLoss(List<AveragingRound.Result> results, int i) {
        return results.stream().mapToDouble(r -> r.loss(i)).average().orElse(Double.NaN);
    }

    static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Averaging rounds run so far. */
    public int rounds() {
        return rounds;
    }

    @Override
    public void close() {
        for (int i = 0; i < configurations.size(); i++) {
            configurations.get(i).destroy(false);
            WorkerPool.retire(id + "/" + i);
        }
    }
}
