package io.trainyard.train;

import io.trainyard.spec.train.TrainSpec;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train.averaging-frequency = auto}: enough minibatches per round that a round's compute is about
 * {@value #ROUND_SECONDS} s, so the round's fixed cost (a broadcast, a Spark job, the workers' states back to the
 * driver: 0.03 s and more measured here) stays a small part of it.
 *
 * <p>The step time is estimated, not measured, so the choice depends only on the spec and the data and two runs with
 * one seed train the same model: a fixed cost per step plus the step's FLOPs (6 per weight per example: forward and
 * backward) at a nominal rate. The constants were this machine's lean step on one thread, rounded down (then 1.6 ms
 * per step of a 64-64-64-1 MLP at batch 256, estimated 1.1 ms). The native lean step takes 0.35 ms, so rounds now
 * come out about a third as long as aimed at; the constants stay, so a spec's auto frequency (and with it the model
 * a seed trains) does not change between versions, and shorter rounds average more often, not less.
 * Only dense networks are estimated this way; for others (convolutions do far more work per weight) auto is 10.
 */
public final class AveragingFrequency {
    private static final Logger LOG = LoggerFactory.getLogger(AveragingFrequency.class);
    static final double ROUND_SECONDS = 0.2;
    private static final double STEP_FIXED_SECONDS = 0.0005;
    private static final double FLOPS_PER_SECOND = 20e9;
    static final int OTHER_NETWORKS = 10;

    private AveragingFrequency() {}

    /** {@code train} with its frequency resolved for {@code network}; a number in the spec is kept as it is. */
    public static TrainSpec resolve(TrainSpec train, MultiLayerNetwork network, long minibatches, int workers) {
        if (!train.autoAveraging()) {
            return train;
        }
        int frequency = of(network, train.batchSize(), minibatches, workers);
        LOG.info("train.averaging-frequency = auto: {} minibatches per round", frequency);
        return train.withAveragingFrequency(frequency);
    }

    /** The frequency for a network, batch size and split: at most every worker's share of the minibatches. */
    static int of(MultiLayerNetwork network, int batchSize, long minibatches, int workers) {
        long perWorker = Math.max(1, minibatches / Math.max(1, workers));
        if (!dense(network)) {
            return (int) Math.min(OTHER_NETWORKS, perWorker);
        }
        double step = STEP_FIXED_SECONDS + 6.0 * network.numParams() * batchSize / FLOPS_PER_SECOND;
        long frequency = (long) Math.ceil(ROUND_SECONDS / step);
        return (int) Math.max(1, Math.min(frequency, perWorker));
    }

    private static boolean dense(MultiLayerNetwork network) {
        for (int i = 0; i < network.getnLayers(); i++) {
            var layer = network.getLayer(i).conf().getLayer();
            if (!(layer instanceof DenseLayer) && !(layer instanceof OutputLayer)) {
                return false;
            }
        }
        return true;
    }
}
