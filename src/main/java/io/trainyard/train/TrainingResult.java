package io.trainyard.train;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A finished training run: the network holding the best epoch's parameters, the epoch history, and why it ended.
 *
 * @param bestEpoch 1-based epoch whose parameters the network holds
 */
public record TrainingResult(MultiLayerNetwork network, int bestEpoch, List<EpochRecord> history, String stopReason) {
    public Metrics bestValidation() {
        return history.get(bestEpoch - 1).validation();
    }
}
