package io.trainyard.train.step;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Scores minibatches with a network of dense layers and an output layer in one forward pass: the lean step's
 * products and loops ({@link DenseStack}), no dropout, buffers reused batch after batch. It gives what DL4J's
 * {@code output(x, false)} and {@code score(batch, false)} give together, which cost two forward passes, each
 * allocating its intermediates.
 */
public final class DenseScorer {
    private final DenseStack stack;

    /** A batch's outputs (a fresh array the caller may keep) and mean loss plus regularisation term, as DL4J's. */
    public record Scored(INDArray output, double loss) {}

    private DenseScorer(DenseStack stack) {
        this.stack = stack;
    }

    /** A scorer for {@code net}, or null when the network is not one it computes. */
    public static DenseScorer of(MultiLayerNetwork net) {
        return DenseStack.unsupported(net) == null ? new DenseScorer(new DenseStack(net)) : null;
    }

    /** Whether {@code batch} can be scored here (no masks, float rows). */
    public static boolean accepts(DataSet batch) {
        return LeanDenseStep.accepts(batch);
    }

    /** The outputs and loss of {@code batch}, which {@link #accepts} has passed. */
    public Scored score(DataSet batch) {
        INDArray x = NativeView.rowMajor(batch.getFeatures());
        INDArray labels = NativeView.rowMajor(batch.getLabels());
        int rows = (int) x.size(0);
        DenseStack.Buffers b = stack.buffers(rows);
        stack.forward(x, b, null, 0, 0);
        int last = stack.layers - 1;
        INDArray preOut = b.z()[last].array();
        var head = stack.activations[last];
        double loss = stack.loss.computeScore(labels, preOut, head, null, false) / rows
                + stack.net.calcRegularizationScore(true);
        INDArray output = head.getActivation(preOut.dup(), false);
        return new Scored(output, loss);
    }
}
