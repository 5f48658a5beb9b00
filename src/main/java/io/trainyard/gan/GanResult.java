package io.trainyard.gan;

import io.trainyard.model.GanFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A finished GAN training: its last state (what more epochs would continue from), the epoch kept and why it ended.
 *
 * @param bestEpoch 1-based epoch whose stack parameters {@code last.bestStack()} holds
 * @param stopped   true when early stopping ended it (more epochs would not run)
 */
public record GanResult(GanState last, int bestEpoch, String stopReason, boolean stopped) {
    public double bestValidationMmd() {
        return last.history().get(bestEpoch - 1).validationMmd();
    }

    /** The generator of the best epoch, alone. */
    public MultiLayerNetwork bestGenerator(GanFactory.Gan gan) {
        return generator(gan, last.bestStack());
    }

    /** A generator network holding the first (generator) parameters of a stack's {@code stackParams}. */
    public static MultiLayerNetwork generator(GanFactory.Gan gan, INDArray stackParams) {
        MultiLayerNetwork g = new MultiLayerNetwork(gan.generator().clone());
        g.init();
        g.setParams(stackParams
                .get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, g.numParams()))
                .dup());
        return g;
    }
}
