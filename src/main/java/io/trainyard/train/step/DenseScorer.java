package io.trainyard.train.step;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Scores minibatches with a network of dense layers and an output layer in one forward pass: the lean step's
 * products and loops ({@link DenseStack}), the head's outputs and loss as loops ({@link HeadKernel}), no dropout,
 * buffers reused batch after batch: no ND4J call and no array allocated per batch for the heads Trainyard builds. It
 * gives what DL4J's {@code output(x, false)} and {@code score(batch, false)} give together, which cost two forward
 * passes, each allocating its intermediates.
 */
public final class DenseScorer {
    private final DenseStack stack;
    /** The head's loops, or null where the loss and activation objects score. */
    private final HeadKernel head;

    /**
     * A batch's outputs and mean loss plus regularisation term, as DL4J's. The outputs are the scorer's own buffer,
     * valid until its next {@link #score}: read or copy them before (every evaluation here copies what it keeps).
     */
    public record Scored(INDArray output, double loss) {}

    private DenseScorer(DenseStack stack) {
        this.stack = stack;
        this.head = HeadKernel.of(stack.loss, stack.activations[stack.layers - 1]);
    }

    /** A scorer for {@code net}, or null when the network is not one it computes. */
    public static DenseScorer of(MultiLayerNetwork net) {
        return DenseStack.unsupported(net) == null ? new DenseScorer(new DenseStack(net, false)) : null;
    }

    /**
     * {@code batch}'s outputs and loss: in one pass by {@code dense} (null for a network it does not compute) when the
     * batch is float rows without masks, else by DL4J's {@code output} and {@code score}.
     */
    public static Scored score(DenseScorer dense, MultiLayerNetwork net, DataSet batch) {
        if (dense != null && LeanDenseStep.accepts(batch)) {
            return dense.score(batch);
        }
        INDArray out = net.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
        return new Scored(out, net.score(batch, false));
    }

    /** The outputs and loss of {@code batch}: float rows without masks. */
    Scored score(DataSet batch) {
        INDArray x = NativeView.rowMajor(batch.getFeatures());
        INDArray labels = NativeView.rowMajor(batch.getLabels());
        int rows = (int) x.size(0);
        DenseStack.Buffers b = stack.buffers(rows);
        stack.forward(x, b, null, 0, 0);
        int last = stack.layers - 1;
        double regularization = stack.net.calcRegularizationScore(true);
        if (head != null) {
            NativeView out = b.a()[last];
            double sum = head.score(
                    b.z()[last].buffer(), NativeView.of(labels).buffer(), out.buffer(), rows, stack.widths[last + 1]);
            return new Scored(out.array(), sum / rows + regularization);
        }
        INDArray preOut = b.z()[last].array();
        var activation = stack.activations[last];
        double loss = stack.loss.computeScore(labels, preOut, activation, null, false) / rows + regularization;
        return new Scored(activation.getActivation(preOut.dup(), false), loss);
    }
}
