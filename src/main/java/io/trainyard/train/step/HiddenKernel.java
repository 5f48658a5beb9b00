package io.trainyard.train.step;

import java.nio.FloatBuffer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A hidden dense layer's activation over row-major {@code [rows, n]} buffers: the forward pass with the bias added,
 * and the backward pass {@code delta = epsilon * f'}. Each computes what DL4J's activation computes.
 *
 * <p>ReLU, identity and tanh are plain loops; sigmoid adds the bias in a loop and takes the function from ND4J's
 * vectorised op, DL4J's own. Tanh is {@code 1 - 2 / (e^{2z} + 1)} in double: {@code Math.tanh} made a tanh network's
 * step four times slower than a ReLU one's, ND4J's tanh op twice (about 60 and 15 ns an element against 10 for the
 * formula, which gave the same floats as {@code Math.tanh} on 16,384 Gaussian draws). The derivatives of tanh and
 * sigmoid come from the kept activations ({@code 1 - a^2}, {@code a (1 - a)}), as DL4J's derivative ops compute them
 * from the same values.
 */
enum HiddenKernel {
    RELU,
    TANH,
    SIGMOID,
    IDENTITY;

    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    /*
     * Why ReLU avoids branches: on trained pre-activations the sign is a coin toss, and a branch mispredicted on half
     * the elements made the forward loop four times slower than the same loop on predictable data (measured: 86 us
     * against 22 us for a 256 x 64 layer).
     */

    /** All ones when {@code z > 0} (not for -0, +0 or a negative), else zero, without a branch. */
    static int positive(float z) {
        int bits = Float.floatToRawIntBits(z);
        return ~(((bits - 1) | bits) >> 31);
    }

    /** The kernel computing {@code activation} exactly as DL4J does, or null when there is none. */
    static HiddenKernel of(IActivation activation) {
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null && relu.getThreshold() == null && relu.getNegativeSlope() == null;
            return plain ? RELU : null;
        }
        if (activation.getClass() == ActivationTanH.class) {
            return TANH;
        }
        if (activation.getClass() == ActivationSigmoid.class) {
            return SIGMOID;
        }
        return activation.getClass() == ActivationIdentity.class ? IDENTITY : null;
    }

    /** Whether the backward pass needs the activations as the forward pass left them (not dropped in place since). */
    boolean needsActivations() {
        return this == TANH || this == SIGMOID;
    }

    /** {@code z += bias} row by row, then {@code a = f(z)}. */
    void forward(NativeView z, FloatBuffer bias, NativeView a, int rows, int n) {
        FloatBuffer pre = z.buffer();
        FloatBuffer out = a.buffer();
        switch (this) {
            case RELU -> {
                for (int r = 0; r < rows; r++) {
                    int row = r * n;
                    for (int j = 0; j < n; j++) {
                        float v = pre.get(row + j) + bias.get(j);
                        pre.put(row + j, v);
                        out.put(row + j, Math.max(v, 0f));
                    }
                }
            }
            case IDENTITY -> {
                addBias(pre, bias, rows, n);
                for (int k = 0; k < rows * n; k++) {
                    out.put(k, pre.get(k));
                }
            }
            case TANH -> {
                for (int r = 0; r < rows; r++) {
                    int row = r * n;
                    for (int j = 0; j < n; j++) {
                        float v = pre.get(row + j) + bias.get(j);
                        pre.put(row + j, v);
                        out.put(row + j, tanh(v));
                    }
                }
            }
            case SIGMOID -> {
                addBias(pre, bias, rows, n);
                Nd4j.exec(new Sigmoid(z.array(), a.array()));
            }
        }
    }

    /**
     * {@code delta = epsilon * f'(z)}: from the pre-activations {@code z} for ReLU and identity, from the activations
     * {@code a} for tanh and sigmoid ({@link #needsActivations}).
     */
    void backward(FloatBuffer z, FloatBuffer a, FloatBuffer epsilon, FloatBuffer delta, int length) {
        switch (this) {
            case RELU -> {
                for (int k = 0; k < length; k++) {
                    delta.put(k, epsilon.get(k) * Float.intBitsToFloat(positive(z.get(k)) & ONE_BITS));
                }
            }
            case IDENTITY -> {
                for (int k = 0; k < length; k++) {
                    delta.put(k, epsilon.get(k));
                }
            }
            case TANH -> {
                for (int k = 0; k < length; k++) {
                    float v = a.get(k);
                    delta.put(k, epsilon.get(k) * (1f - v * v));
                }
            }
            case SIGMOID -> {
                for (int k = 0; k < length; k++) {
                    float v = a.get(k);
                    delta.put(k, epsilon.get(k) * (v * (1f - v)));
                }
            }
        }
    }

    static float tanh(float z) {
        double e = Math.exp(2.0 * z);
        return (float) (1.0 - 2.0 / (e + 1.0));
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /** {@code z += bias} row by row. */
    static void addBias(FloatBuffer z, FloatBuffer bias, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int row = r * n;
            for (int j = 0; j < n; j++) {
                z.put(row + j, z.get(row + j) + bias.get(j));
            }
        }
    }

    /** {@code sums[j] = sum over rows of delta[r, j]}: a bias's gradient. */
    static void columnSums(FloatBuffer delta, FloatBuffer sums, int rows, int n) {
        for (int j = 0; j < n; j++) {
            sums.put(j, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int row = r * n;
            for (int j = 0; j < n; j++) {
                sums.put(j, sums.get(j) + delta.get(row + j));
            }
        }
    }
}
