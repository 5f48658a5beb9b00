package io.trainyard.gan;

import io.trainyard.model.GanFactory;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GAN's training state: both networks as the last epoch left them (parameters and updater state), the epochs so
 * far, and the stack's parameters at the best of them. Where training starts, and what it ends with.
 *
 * @param bestStack the best epoch's stack parameters (generator first); null when {@code history} is empty
 */
public record GanState(
        MultiLayerNetwork discriminator, MultiLayerNetwork stack, List<GanEpoch> history, INDArray bestStack) {
    public GanState {
        history = List.copyOf(history);
    }

    /** Untrained networks; on copies of the configurations, because training counts iterations in them. */
    public static GanState fresh(GanFactory.Gan gan) {
        MultiLayerNetwork discriminator =
                new MultiLayerNetwork(gan.discriminator().clone());
        discriminator.init();
        MultiLayerNetwork stack = new MultiLayerNetwork(gan.stack().clone());
        stack.init();
        return new GanState(discriminator, stack, List.of(), null);
    }
}
