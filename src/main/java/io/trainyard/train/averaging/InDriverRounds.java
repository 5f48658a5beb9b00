package io.trainyard.train.averaging;

import io.trainyard.train.step.MinibatchFitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link AveragingEngine}'s rounds run by the driver itself, for a local master: there the executors are threads of
 * this JVM anyway, and on small data a Spark job per round (scheduling, a broadcast, serialising every worker's state)
 * costs more than the round's arithmetic. The training split is collected once, partition by partition; each round
 * every partition's worker network takes the same minibatches ({@link AveragingRound#pick}) with the same
 * {@link NetworkStep} on its own thread, and the driver averages their states in partition order, as
 * {@link RoundRunner} does. Same seed, same parameters as the engine's Spark rounds.
 */
public final class InDriverRounds implements EpochFitter {
    private final MultiLayerNetwork network;
    private final List<List<DataSet>> partitions = new ArrayList<>();
    private final MultiLayerNetwork[] workers;
    private final RoundSettings settings;
    private final long rounds;
    private final Random rng;
    private final ExecutorService pool;
    private int round;
    private double score = Double.NaN;

    /** Rounds over {@code train}'s partitions with the engine's {@code settings}. */
    public InDriverRounds(MultiLayerNetwork network, JavaRDD<DataSet> train, RoundSettings settings) {
        MinibatchFitter.check(network, settings.step());
        this.network = network;
        this.settings = settings;
        // The workers set the rounds per epoch, as in DL4J's split arithmetic.
        this.rounds = RoundRunner.roundsPerEpoch(settings.minibatches(), settings.workers(), settings.frequency());
        this.rng = new Random(settings.seed());
        // One Spark job, once: the partitions as the engine's tasks would read them.
        partitions.addAll(LocalPartitions.of(train));
        workers = new MultiLayerNetwork[partitions.size()];
        for (int p = 0; p < workers.length; p++) {
            workers[p] = network.clone();
            unshareWrapped(workers[p]);
        }
        pool = Executors.newFixedThreadPool(Math.max(1, workers.length), r -> {
            Thread t = new Thread(r, "trainyard-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Gives each layer inside a wrapper (a recurrent layer read at its last step, in DL4J's {@code LastTimeStep}) a
     * configuration of its own. DL4J's clone of a network shares a wrapped layer's configuration with the original, and
     * with it the state of its dropout (the mask of the last forward pass), so workers training on different threads
     * cleared each other's masks mid-step.
     */
    static void unshareWrapped(MultiLayerNetwork worker) {
        for (org.deeplearning4j.nn.api.Layer layer : worker.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer wrapper) {
                org.deeplearning4j.nn.api.Layer inner = wrapper.getUnderlying();
                inner.setConf(inner.conf().clone());
            }
        }
    }

    @Override
    public void fitEpoch(JavaRDD<DataSet> ignored) {
        int splits = (int) rounds;
        long splitSeed = rng.nextLong();
        var conf = network.getLayerWiseConfigurations();
        for (int split = 0; split < splits; split++) {
            float[] state = AveragingRound.flatten(network);
            NetworkStep networkStep = NetworkStep.forRound(network, settings);
            List<Future<AveragingRound.Result>> running = new ArrayList<>();
            for (int p = 0; p < partitions.size(); p++) {
                List<DataSet> mine = AveragingRound.pick(p, partitions.get(p).iterator(), split, splits, splitSeed);
                if (mine.isEmpty()) {
                    continue;
                }
                MultiLayerNetwork worker = workers[p];
                WorkerStep.RoundPosition here =
                        new WorkerStep.RoundPosition(round, split, splitSeed, p, settings.frequency());
                running.add(pool.submit(() -> {
                    WorkerThreads.limit(settings.threads());
                    AveragingRound.load(worker, state);
                    double[] losses = networkStep.fit(new MultiLayerNetwork[] {worker}, mine, here);
                    return new AveragingRound.Result(AveragingRound.flatten(worker), losses);
                }));
            }
            List<AveragingRound.Result> results = new ArrayList<>();
            for (Future<AveragingRound.Result> f : running) {
                results.add(await(f));
            }
            round++;
            if (!results.isEmpty()) {
                AveragingRound.load(network, RoundRunner.mean(results));
                conf.setIterationCount(conf.getIterationCount() + settings.frequency());
                score = RoundRunner.meanLoss(results, 0);
            }
        }
        network.incrementEpochCount();
    }

    private static AveragingRound.Result await(Future<AveragingRound.Result> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a worker trained", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void skipEpochs(int epochs) {
        for (int e = 0; e < epochs; e++) {
            rng.nextLong();
            round += (int) rounds;
        }
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public double score() {
        return score;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (MultiLayerNetwork worker : workers) {
            MinibatchFitter.release(worker);
        }
    }
}
