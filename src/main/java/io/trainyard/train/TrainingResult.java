package io.trainyard.train;

import io.trainyard.evaluate.Metrics;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A finished training run: the network holding the best epoch's parameters, the epoch history, and why it ended.
 *
 * @param bestEpoch  1-based epoch whose parameters the network holds
 * @param lastParams the last epoch's parameters (the network holds the best epoch's, and the last updater state):
 *                   what training would continue from
 * @param stopped    true when early stopping ended it (more epochs would not run)
 */
public record TrainingResult(
        MultiLayerNetwork network,
        int bestEpoch,
        List<EpochRecord> history,
        String stopReason,
        INDArray lastParams,
        boolean stopped) {
    public Metrics bestValidation() {
        return history.get(bestEpoch - 1).validation();
    }
}
