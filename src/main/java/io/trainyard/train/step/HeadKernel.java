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
 * The output layer's loss for the heads Trainyard builds, as loops over row-major {@code [rows, n]} buffers: the
 * gradient with respect to the pre-activation, {@code dL/dz} of each example (not yet divided by the batch size:
 * DL4J's updater does that), and for scoring the outputs and the summed loss. Each follows the formula of DL4J's
 * loss class step by step, in float. The gradients:
 * <ul>
 *   <li>softmax with {@link LossMCXENT}: {@code p - y}; with class weights w, {@code p * sum(y w) - y w};</li>
 *   <li>sigmoid with {@link LossBinaryXENT}: {@code (c - y) / (c (1 - c)) * s (1 - s)}, c the sigmoid s clipped to
 *       the loss's {@code [eps, 1 - eps]};</li>
 *   <li>identity with {@link LossMSE}: {@code 2 (z - y) / n}; with {@link LossMAE}: {@code sign(z - y) / n}; with
 *       {@link LossL1}: {@code sign(z - y)}.</li>
 * </ul>
 */
final class HeadKernel {
    private enum Kind {
        SOFTMAX_CROSS_ENTROPY,
        SIGMOID_CROSS_ENTROPY,
        SQUARED,
        ABSOLUTE
    }

    private final Kind kind;
    /** Class weights of a weighted softmax head, else null. */
    private final float[] weights;

    /** The clipping of probabilities: the sigmoid's in the gradient and score, the softmax's in the score. */
    private final float clip;
    /** Whether the error is divided by the number of outputs (MSE and MAE; not L1). */
    private final boolean perOutput;

    private HeadKernel(Kind kind, float[] weights, float clip, boolean perOutput) {
        this.kind = kind;
        this.weights = weights;
        this.clip = clip;
        this.perOutput = perOutput;
    }

    /** The loops of {@code loss} after {@code activation}, or null for a head they do not cover. */
    static HeadKernel of(ILossFunction loss, IActivation activation) {
        Class<?> act = activation.getClass();
        if (loss.getClass() == LossMCXENT.class && act == ActivationSoftmax.class) {
            LossMCXENT mcxent = (LossMCXENT) loss;
            float[] w = mcxent.getWeights() == null ? null : mcxent.getWeights().toFloatVector();
            return new HeadKernel(Kind.SOFTMAX_CROSS_ENTROPY, w, (float) mcxent.getSoftmaxClipEps(), false);
        }
        if (loss.getClass() == LossBinaryXENT.class && act == ActivationSigmoid.class) {
            LossBinaryXENT xent = (LossBinaryXENT) loss;
            return xent.getWeights() != null
                    ? null
                    : new HeadKernel(Kind.SIGMOID_CROSS_ENTROPY, null, (float) xent.getClipEps(), false);
        }
        if (act != ActivationIdentity.class) {
            return null;
        }
        if (loss.getClass() == LossMSE.class && ((LossMSE) loss).getWeights() == null) {
            return new HeadKernel(Kind.SQUARED, null, 0f, true);
        }
        if (loss.getClass() == LossMAE.class && ((LossMAE) loss).getWeights() == null) {
            return new HeadKernel(Kind.ABSOLUTE, null, 0f, true);
        }
        if (loss.getClass() == LossL1.class && ((LossL1) loss).getWeights() == null) {
            return new HeadKernel(Kind.ABSOLUTE, null, 0f, false);
        }
        return null;
    }

    /** {@code delta = dL/dz} for pre-activations {@code z} and labels {@code y}, all {@code [rows, n]}. */
    void gradient(FloatBuffer z, FloatBuffer y, FloatBuffer delta, int rows, int n) {
        switch (kind) {
            case SOFTMAX_CROSS_ENTROPY -> softmax(z, y, delta, rows, n);
            case SIGMOID_CROSS_ENTROPY -> {
                for (int k = 0; k < rows * n; k++) {
                    float s = HiddenKernel.sigmoid(z.get(k));
                    float c = clip(s, clip);
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

    /**
     * The outputs {@code out = f(z)} and the loss summed over the batch, as DL4J's {@code computeScore(labels, z, f,
     * null, false)} gives it: softmax probabilities clipped to {@code [eps, 1 - eps]} inside the log (the outputs are
     * not), the sigmoid clipped likewise, squared and absolute errors divided by the outputs for MSE and MAE.
     */
    double score(FloatBuffer z, FloatBuffer y, FloatBuffer out, int rows, int n) {
        double sum = 0;
        switch (kind) {
            case SOFTMAX_CROSS_ENTROPY -> {
                softmaxInto(z, out, rows, n);
                for (int k = 0; k < rows * n; k++) {
                    float label = y.get(k);
                    if (label != 0f) {
                        float p = clip(out.get(k), clip);
                        sum -= (float) Math.log(p) * label * (weights == null ? 1f : weights[k % n]);
                    }
                }
            }
            case SIGMOID_CROSS_ENTROPY -> {
                for (int k = 0; k < rows * n; k++) {
                    float s = HiddenKernel.sigmoid(z.get(k));
                    out.put(k, s);
                    float c = clip(s, clip);
                    float label = y.get(k);
                    sum -= (float) Math.log(c) * label + (float) Math.log(1f - c) * (1f - label);
                }
            }
            case SQUARED, ABSOLUTE -> {
                for (int k = 0; k < rows * n; k++) {
                    float v = z.get(k);
                    out.put(k, v);
                    float e = v - y.get(k);
                    sum += kind == Kind.SQUARED ? e * e : Math.abs(e);
                }
                if (perOutput) {
                    sum /= n;
                }
            }
        }
        return sum;
    }

    private static float clip(float p, float eps) {
        return Math.min(Math.max(p, eps), 1f - eps);
    }

    /** Row-wise softmax of {@code z} into {@code out}, the largest value subtracted first. */
    private static void softmaxInto(FloatBuffer z, FloatBuffer out, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int row = r * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, z.get(row + j));
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(z.get(row + j) - max);
                out.put(row + j, e);
                sum += e;
            }
            for (int j = 0; j < n; j++) {
                out.put(row + j, out.get(row + j) / sum);
            }
        }
    }

    private void softmax(FloatBuffer z, FloatBuffer y, FloatBuffer delta, int rows, int n) {
        softmaxInto(z, delta, rows, n);
        for (int r = 0; r < rows; r++) {
            int row = r * n;
            float weightOfLabel = 1f;
            if (weights != null) {
                weightOfLabel = 0f;
                for (int j = 0; j < n; j++) {
                    weightOfLabel += y.get(row + j) * weights[j];
                }
            }
            for (int j = 0; j < n; j++) {
                float label = weights == null ? y.get(row + j) : y.get(row + j) * weights[j];
                delta.put(row + j, delta.get(row + j) * weightOfLabel - label);
            }
        }
    }
}
