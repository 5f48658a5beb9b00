package io.trainyard.train.averaging;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Reads and sets a network's learning rate. Setting it changes the rate of every layer's updater configuration in
 * place: the network's updater reads its configuration's rate at each step, so Adam's moments and the iteration
 * count carry on untouched. DL4J's {@code MultiLayerNetwork.setLearningRate} also rebuilds the updater around its
 * state; on a worker whose state a round has just loaded, that rebuild left the Trainyard engine's Spark-job rounds
 * 0.012 away from DL4J's master under a schedule, where the same rounds in the driver agreed (TrainingIT checks both).
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
        if (of(network) == rate) {
            return;
        }
        for (int layer = 0; layer < network.getnLayers(); layer++) {
            Layer conf = network.getLayer(layer).conf().getLayer();
            while (conf instanceof BaseWrapperLayer wrapper) {
                conf = wrapper.getUnderlying();
            }
            if (conf instanceof BaseLayer base) {
                setRate(base.getIUpdater(), rate);
                setRate(base.getBiasUpdater(), rate);
            }
        }
    }

    private static void setRate(IUpdater updater, double rate) {
        if (updater != null && updater.hasLearningRate()) {
            updater.setLrAndSchedule(rate, null);
        }
    }
}
