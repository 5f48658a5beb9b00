package io.trainyard.train.averaging;

import io.trainyard.spec.Seeds;
import io.trainyard.spec.train.StepKind;
import io.trainyard.train.step.MinibatchFitter;
import java.util.List;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One network's round on a worker, as DL4J's master runs it: the driver's iteration and epoch counts and learning
 * rate, the minibatches re-batched to {@code batchSize}, at most {@code frequency} of them fitted.
 *
 * @param iteration    the driver network's iteration count at the round's start (Adam's bias correction reads it)
 * @param learningRate the driver network's rate this round (a schedule changes it between epochs); NaN leaves the
 *                     configured one
 * @param kind         what fits a minibatch: {@link io.trainyard.train.step.LeanDenseStep} where it applies, or DL4J's {@code fit}
 */
record NetworkStep(int batchSize, int iteration, int epoch, double learningRate, StepKind kind) implements WorkerStep {
    /** The step of a round starting now: the driver network's counts and rate, the engine's batch and step kind. */
    static NetworkStep forRound(MultiLayerNetwork driver, RoundSettings settings) {
        var conf = driver.getLayerWiseConfigurations();
        return new NetworkStep(
                settings.batchSize(),
                conf.getIterationCount(),
                conf.getEpochCount(),
                LearningRates.of(driver),
                settings.step());
    }

    @Override
    public double[] fit(MultiLayerNetwork[] networks, List<DataSet> minibatches, RoundPosition round) {
        MultiLayerNetwork net = networks[0];
        if (!Double.isNaN(learningRate)) {
            LearningRates.set(net, learningRate);
        }
        net.getLayerWiseConfigurations().setIterationCount(iteration);
        net.getLayerWiseConfigurations().setEpochCount(epoch);
        // Dropout draws from ND4J's per-thread generator, and Spark hands a partition to whichever task thread is
        // free: seeded per round and partition, the masks (and so the trained weights) are the same every run.
        Nd4j.getRandom()
                .setSeed(Seeds.derive(
                        round.splitSeed(), "worker-random", (long) round.split() * 1_000_003L + round.partition()));
        // Re-batching to batchSize and the cap of `frequency` minibatches per round are DL4J's worker semantics.
        DataSetIterator batches = new IteratorDataSetIterator(minibatches.iterator(), batchSize);
        MinibatchFitter fitter = MinibatchFitter.kept(net, kind);
        DataSet next = batches.hasNext() ? batches.next() : null;
        int fitted = 0;
        while (next != null && fitted < round.frequency()) {
            DataSet batch = next;
            fitted++;
            next = fitted < round.frequency() && batches.hasNext() ? batches.next() : null;
            // Only the round's last loss is reported, so only the last batch pays for computing it.
            fitter.fit(batch, next == null);
        }
        return new double[] {net.score()};
    }
}
