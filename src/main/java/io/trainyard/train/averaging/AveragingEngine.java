package io.trainyard.train.averaging;

import io.trainyard.spec.train.StepKind;
import io.trainyard.train.step.MinibatchFitter;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trainyard's parameter-averaging engine for one network: the semantics of DL4J's
 * {@code ParameterAveragingTrainingMaster} (same minibatch order per seed, mean of the workers' parameters and updater
 * state, the same iteration counting) without its per-round costs. Its rounds are {@link RoundRunner}'s with a
 * {@link NetworkStep}: workers keep their networks alive between rounds ({@link WorkerPool}), a round broadcasts one
 * float array and runs one Spark job over the persisted partitions; the RDD is never counted, split or repartitioned.
 */
public final class AveragingEngine implements EpochFitter {
    private final MultiLayerNetwork network;
    private final RoundSettings settings;
    private final RoundRunner rounds;
    private double score = Double.NaN;

    /** The engine with DL4J's master's settings and Trainyard's defaults: the lean step, the cores shared. */
    public AveragingEngine(
            JavaSparkContext sc,
            MultiLayerNetwork network,
            int workers,
            int frequency,
            int batchSize,
            long minibatches,
            long seed) {
        this(
                sc,
                network,
                new RoundSettings(
                        workers,
                        frequency,
                        batchSize,
                        minibatches,
                        seed,
                        WorkerThreads.perWorker(sc, workers),
                        StepKind.AUTO));
    }

    /** The engine; {@code settings.step()} is checked here, on the driver. */
    public AveragingEngine(JavaSparkContext sc, MultiLayerNetwork network, RoundSettings settings) {
        MinibatchFitter.check(network, settings.step());
        this.network = network;
        this.settings = settings;
        this.rounds = new RoundRunner(
                sc,
                new MultiLayerNetwork[] {network},
                settings.workers(),
                settings.frequency(),
                settings.minibatches(),
                settings.seed(),
                settings.threads());
    }

    @Override
    public void fitEpoch(JavaRDD<DataSet> train) {
        int splits = rounds.roundsPerEpoch();
        long splitSeed = rounds.nextEpochSeed();
        for (int split = 0; split < splits; split++) {
            var conf = network.getLayerWiseConfigurations();
            List<AveragingRound.Result> results =
                    rounds.round(train, split, splits, splitSeed, NetworkStep.forRound(network, settings));
            if (!results.isEmpty()) {
                conf.setIterationCount(conf.getIterationCount() + settings.frequency());
                score = RoundRunner.meanLoss(results, 0);
            }
        }
        network.incrementEpochCount();
    }

    @Override
    public void skipEpochs(int epochs) {
        rounds.skipEpochs(epochs);
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
        return rounds.rounds();
    }

    @Override
    public void close() {
        rounds.close();
    }
}
