package io.trainyard.train.averaging;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Reads and sets a network's learning rate. Setting it rewrites every layer's updater configuration and rebuilds the
 * updater around its existing state (DL4J's {@code NetworkUtils.setLearningRate}): Adam's moments and the iteration
 * count carry on. It is done only when the rate changes, since the rebuild is not free.
 */
public final class LearningRates {
    private LearningRates() {}

    /** The rate of the first layer that has one; NaN for a network without trainable layers. */
    static double of(MultiLayerNetwork network) {
        for (int layer = 0; layer < network.getnLayers(); layer++) {
            Double rate = network.getLearningRate(layer);
            if (rate != null) {
                return rate;
            }
        }
        return Double.NaN;
    }

    public static void set(MultiLayerNetwork network, double rate) {
        if (of(network) != rate) {
            network.setLearningRate(rate);
        }
    }
}
