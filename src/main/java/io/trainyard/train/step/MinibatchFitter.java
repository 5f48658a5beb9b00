package io.trainyard.train.step;

import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.train.StepKind;
import java.util.IdentityHashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Fits one network minibatch by minibatch with the step {@code train.step} chose: {@link LeanDenseStep} where the
 * network and the batch allow it, DL4J's {@code fit} otherwise. Both leave the network in the same state.
 */
public final class MinibatchFitter {
    /**
     * Fitters kept with long-lived worker networks (pooled in executors, or an in-driver engine's), by identity: DL4J
     * networks define equals by value. Their owners {@link #release} them.
     */
    private static final Map<MultiLayerNetwork, MinibatchFitter> KEPT = new IdentityHashMap<>();

    private final MultiLayerNetwork net;
    private final StepKind kind;
    private final LeanDenseStep lean;

    private MinibatchFitter(MultiLayerNetwork net, StepKind kind, LeanDenseStep lean) {
        this.net = net;
        this.kind = kind;
        this.lean = lean;
    }

    /** The fitter for {@code net}; {@link StepKind#LEAN} refuses a network the lean step cannot train, naming why. */
    public static MinibatchFitter of(MultiLayerNetwork net, StepKind kind) {
        return new MinibatchFitter(net, kind, leanCan(net, kind) ? new LeanDenseStep(net) : null);
    }

    /**
     * The fitter kept with {@code net}, built on its first round: the lean step's views and buffers then outlive the
     * round (rounds assign into the network's own arrays, so the views stay valid). About a tenth of a step's time at
     * batch 32 and ten steps a round went to rebuilding them.
     */
    public static MinibatchFitter kept(MultiLayerNetwork net, StepKind kind) {
        synchronized (KEPT) {
            MinibatchFitter fitter = KEPT.get(net);
            if (fitter == null || fitter.kind != kind) {
                fitter = of(net, kind);
                KEPT.put(net, fitter);
            }
            return fitter;
        }
    }

    /** Forgets the fitter kept with {@code net}: its owner is done with the network. */
    public static void release(MultiLayerNetwork net) {
        synchronized (KEPT) {
            KEPT.remove(net);
        }
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
