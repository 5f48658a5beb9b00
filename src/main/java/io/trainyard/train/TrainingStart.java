package io.trainyard.train;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where training picks up: a new network, or one that has trained some epochs already (a sweep trial continued at
 * the next rung), with those epochs' history and the parameters of its best epoch so far.
 *
 * @param network    parameters, updater state and epoch count to continue from
 * @param bestParams the best epoch's parameters so far; null when {@code history} is empty
 */
public record TrainingStart(MultiLayerNetwork network, List<EpochRecord> history, INDArray bestParams) {
    public TrainingStart {
        history = List.copyOf(history);
    }

    /** A new network of {@code conf}; on a copy, because training counts its iterations and epochs in the conf. */
    public static TrainingStart fresh(MultiLayerConfiguration conf) {
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        return new TrainingStart(network, List.of(), null);
    }
}
