package io.trainyard.train.step;

import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.train.StepKind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Fits one network minibatch by minibatch with the step {@code train.step} chose: {@link LeanDenseStep} where the
 * network and the batch allow it, DL4J's {@code fit} otherwise. Both leave the network in the same state.
 */
public final class MinibatchFitter {
    private final MultiLayerNetwork net;
    private final LeanDenseStep lean;

    private MinibatchFitter(MultiLayerNetwork net, LeanDenseStep lean) {
        this.net = net;
        this.lean = lean;
    }

    /** The fitter for {@code net}; {@link StepKind#LEAN} refuses a network the lean step cannot train, naming why. */
    public static MinibatchFitter of(MultiLayerNetwork net, StepKind kind) {
        return new MinibatchFitter(net, leanCan(net, kind) ? new LeanDenseStep(net) : null);
    }

    /** Refuses {@link StepKind#LEAN} for a network the lean step cannot train, naming why; builds nothing. */
    public static void check(MultiLayerNetwork net, StepKind kind) {
        leanCan(net, kind);
    }

    private static boolean leanCan(MultiLayerNetwork net, StepKind kind) {
        if (kind == StepKind.DL4J) {
            return false;
        }
        String why = LeanDenseStep.unsupported(net);
        if (why != null && kind == StepKind.LEAN) {
            throw new SpecException("train.step = lean cannot train this network: " + why + "; use auto or dl4j");
        }
        return why == null;
    }

    /** Fits one minibatch; {@code score} asks for the network's score to be this batch's loss (DL4J's always is). */
    public void fit(DataSet batch, boolean score) {
        if (lean != null && LeanDenseStep.accepts(batch)) {
            lean.fit(batch, score);
        } else {
            net.fit(batch);
        }
    }
}
