package io.trainyard.train.step;

import java.nio.FloatBuffer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The gradient of the loss with respect to the output layer's pre-activation, {@code dL/dz} of each example (not yet
 * divided by the batch size: DL4J's updater does that), for the heads Trainyard builds, as one loop over row-major
 * {@code [rows, n]} buffers. Each follows the formula of DL4J's loss class step by step, in float:
 * <ul>
 *   <li>softmax with {@link LossMCXENT}: {@code p - y}; with class weights w, {@code p * sum(y w) - y w};</li>
 *   <li>sigmoid with {@link LossBinaryXENT}: {@code (c - y) / (c (1 - c)) * s (1 - s)}, c the sigmoid s clipped to
 *       the loss's {@code [eps, 1 - eps]};</li>
 *   <li>identity with {@link LossMSE}: {@code 2 (z - y) / n}; with {@link LossMAE}: {@code sign(z - y) / n}; with
 *       {@link LossL1}: {@code sign(z - y)}.</li>
 * </ul>
 */
final class OutputGradient {
    private enum Kind {
        SOFTMAX_CROSS_ENTROPY,
        SIGMOID_CROSS_ENTROPY,
        SQUARED,
        ABSOLUTE
    }

    private final Kind kind;
    /** Class weights of a weighted softmax head, else null. */
    private final float[] weights;

    private final float clip;
    /** Whether the error is divided by the number of outputs (MSE and MAE; not L1). */
    private final boolean perOutput;

    private OutputGradient(Kind kind, float[] weights, float clip, boolean perOutput) {
        this.kind = kind;
        this.weights = weights;
        this.clip = clip;
        this.perOutput = perOutput;
    }

    /** The gradient of {@code loss} after {@code activation}, or null for a head it does not cover. */
    static OutputGradient of(ILossFunction loss, IActivation activation) {
        Class<?> act = activation.getClass();
        if (loss.getClass() == LossMCXENT.class && act == ActivationSoftmax.class) {
            LossMCXENT mcxent = (LossMCXENT) loss;
            float[] w = mcxent.getWeights() == null ? null : mcxent.getWeights().toFloatVector();
            return new OutputGradient(Kind.SOFTMAX_CROSS_ENTROPY, w, 0f, false);
        }
        if (loss.getClass() == LossBinaryXENT.class && act == ActivationSigmoid.class) {
            LossBinaryXENT xent = (LossBinaryXENT) loss;
            return xent.getWeights() != null
                    ? null
                    : new OutputGradient(Kind.SIGMOID_CROSS_ENTROPY, null, (float) xent.getClipEps(), false);
        }
        if (act != ActivationIdentity.class) {
            return null;
        }
        if (loss.getClass() == LossMSE.class && ((LossMSE) loss).getWeights() == null) {
            return new OutputGradient(Kind.SQUARED, null, 0f, true);
        }
        if (loss.getClass() == LossMAE.class && ((LossMAE) loss).getWeights() == null) {
            return new OutputGradient(Kind.ABSOLUTE, null, 0f, true);
        }
        if (loss.getClass() == LossL1.class && ((LossL1) loss).getWeights() == null) {
            return new OutputGradient(Kind.ABSOLUTE, null, 0f, false);
        }
        return null;
    }

    /** {@code delta = dL/dz} for pre-activations {@code z} and labels {@code y}, all {@code [rows, n]}. */
    void compute(FloatBuffer z, FloatBuffer y, FloatBuffer delta, int rows, int n) {
        switch (kind) {
            case SOFTMAX_CROSS_ENTROPY -> softmax(z, y, delta, rows, n);
            case SIGMOID_CROSS_ENTROPY -> {
                for (int k = 0; k < rows * n; k++) {
                    float s = HiddenKernel.sigmoid(z.get(k));
                    float c = Math.min(Math.max(s, clip), 1f - clip);
                    float dLda = (c - y.get(k)) / (c * (1f - c));
                    delta.put(k, dLda * (s * (1f - s)));
                }
            }
            case SQUARED -> {
                for (int k = 0; k < rows * n; k++) {
                    float g = (z.get(k) - y.get(k)) * 2f;
                    delta.put(k, perOutput ? g / n : g);
                }
            }
            case ABSOLUTE -> {
                for (int k = 0; k < rows * n; k++) {
                    float g = Math.signum(z.get(k) - y.get(k));
                    delta.put(k, perOutput ? g / n : g);
                }
            }
        }
    }

    private void softmax(FloatBuffer z, FloatBuffer y, FloatBuffer delta, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int row = r * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, z.get(row + j));
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(z.get(row + j) - max);
                delta.put(row + j, e);
                sum += e;
            }
            float weightOfLabel = 1f;
            if (weights != null) {
                weightOfLabel = 0f;
                for (int j = 0; j < n; j++) {
                    weightOfLabel += y.get(row + j) * weights[j];
                }
            }
            for (int j = 0; j < n; j++) {
                float p = delta.get(row + j) / sum;
                float label = weights == null ? y.get(row + j) : y.get(row + j) * weights[j];
                delta.put(row + j, p * weightOfLabel - label);
            }
        }
    }
}
