package io.trainyard.train.averaging;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a worker does with its networks in one averaging round: the only part of a round that differs between
 * families (one network fitting its minibatches, or a GAN's discriminator and generator taking turns). It runs in a
 * task, on pooled networks already holding the round's broadcast parameters and updater state, and its changes to
 * them are what the round averages.
 */
public interface WorkerStep extends Serializable {
    /**
     * Trains {@code networks} (in the order the engine was given them) on up to {@code round.frequency()} of
     * {@code minibatches}.
     *
     * @return one loss per network, for progress and divergence checks
     */
    double[] fit(MultiLayerNetwork[] networks, List<DataSet> minibatches, RoundPosition round);

    /** Where a task's round stands: which round of the run, which split of the epoch, which partition. */
    record RoundPosition(int round, int split, long splitSeed, int partition, int frequency) implements Serializable {}
}
