package io.trainyard.train.averaging;

import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trainyard's parameter-averaging engine: the semantics of DL4J's {@code ParameterAveragingTrainingMaster}
 * (same minibatch order per seed, mean of the workers' parameters and updater state, the same iteration counting)
 * without its per-round costs. Workers keep their networks alive between rounds ({@link WorkerPool}); a round
 * broadcasts one float array (parameters and updater state) and runs one Spark job over the persisted partitions;
 * the RDD is never counted, split into new RDDs or repartitioned.
 */
public final class AveragingEngine implements EpochFitter {
    /**
     * Fault injection for the cluster tests: the first attempt of partition 0's task in this averaging round (counted
     * from 0 over the run) fails, so Spark must retry it. Unset in normal runs.
     */
    public static final String FAIL_TASK_ONCE_IN_ROUND = "spark.trainyard.fault.fail-task-once-in-round";

    private final JavaSparkContext sc;
    private final MultiLayerNetwork network;
    private final int workers;
    private final int frequency;
    private final int batchSize;
    private final long minibatches;
    private final Random rng;
    private final String id = UUID.randomUUID().toString();
    private final Broadcast<String> configuration;
    private final int threads;
    private final int failTaskOnceInRound;
    private double score = Double.NaN;
    private int rounds;

    /**
     * @param minibatches how many DataSet objects the training RDD holds (known from preparation; never counted here)
     * @param seed        the seed DL4J's master would be built with ({@code rngSeed})
     */
    public AveragingEngine(
            JavaSparkContext sc,
            MultiLayerNetwork network,
            int workers,
            int frequency,
            int batchSize,
            long minibatches,
            long seed) {
        this(sc, network, workers, frequency, batchSize, minibatches, seed, WorkerThreads.perWorker(sc, workers));
    }

    /** @param threads ND4J threads each worker's task may use */
    public AveragingEngine(
            JavaSparkContext sc,
            MultiLayerNetwork network,
            int workers,
            int frequency,
            int batchSize,
            long minibatches,
            long seed,
            int threads) {
        this.sc = sc;
        this.network = network;
        this.workers = workers;
        this.frequency = frequency;
        this.batchSize = batchSize;
        this.minibatches = minibatches;
        this.rng = new Random(seed);
        this.configuration = sc.broadcast(network.getLayerWiseConfigurations().toJson());
        this.threads = threads;
        this.failTaskOnceInRound = sc.getConf().getInt(FAIL_TASK_ONCE_IN_ROUND, -1);
    }

    @Override
    public void fitEpoch(JavaRDD<DataSet> train) {
        int splits = (int) roundsPerEpoch(minibatches, workers, frequency);
        long splitSeed = rng.nextLong();
        for (int split = 0; split < splits; split++) {
            round(train, split, splits, splitSeed);
        }
        network.incrementEpochCount();
    }

    @Override
    public void skipEpochs(int epochs) {
        for (int e = 0; e < epochs; e++) {
            rng.nextLong();
        }
    }

    private void round(JavaRDD<DataSet> train, int split, int splits, long splitSeed) {
        Broadcast<float[]> state = sc.broadcast(AveragingRound.flatten(network));
        var conf = network.getLayerWiseConfigurations();
        AveragingRound round = new AveragingRound(
                id,
                configuration,
                state,
                split,
                splits,
                splitSeed,
                frequency,
                batchSize,
                conf.getIterationCount(),
                conf.getEpochCount(),
                LearningRates.of(network),
                threads,
                rounds == failTaskOnceInRound);
        List<AveragingRound.Result> results =
                train.mapPartitionsWithIndex(round::run, false).collect();
        state.destroy(false);
        rounds++;
        if (results.isEmpty()) {
            return;
        }
        AveragingRound.load(network, mean(results));
        conf.setIterationCount(conf.getIterationCount() + frequency);
        score = results.stream()
                .mapToDouble(AveragingRound.Result::score)
                .average()
                .orElse(Double.NaN);
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

    /** DL4J's split arithmetic: rounds per epoch for this many minibatches, workers and averaging frequency. */
    public static long roundsPerEpoch(long minibatches, int workers, int frequency) {
        long perSplit = (long) workers * frequency;
        return minibatches <= perSplit ? 1 : minibatches / perSplit;
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public double score() {
        return score;
    }

    /** Averaging rounds run so far. */
    public int rounds() {
        return rounds;
    }

    @Override
    public void close() {
        configuration.destroy(false);
        WorkerPool.retire(id);
    }
}
