package io.trainyard.train.averaging;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** One epoch of parameter-averaged training over persisted minibatches, and the network it trains. */
public interface EpochFitter extends AutoCloseable {
    void fitEpoch(JavaRDD<DataSet> train);

    /** The driver-side network holding the averaged parameters. */
    MultiLayerNetwork network();

    /** Mean over workers of each worker's last minibatch loss in the last round. */
    double score();

    /**
     * Draws what {@code epochs} epochs would have drawn from the fitter's seed, so a network that already trained
     * them continues with the minibatch orders of an unbroken run. DL4J's master keeps its random state private:
     * there it does nothing, and a continued run is deterministic but not equal to an unbroken one.
     */
    default void skipEpochs(int epochs) {}

    /** Releases what the fitter keeps on the executors between epochs (nothing, unless it says otherwise). */
    @Override
    default void close() {}
}
