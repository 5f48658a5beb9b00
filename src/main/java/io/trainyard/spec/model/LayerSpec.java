package io.trainyard.spec.model;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import java.util.List;
import org.nd4j.linalg.activations.Activation;

/**
 * One entry of {@code model.layers}: the hidden layers of a CNN, input side first (the output layer is added from the
 * task). Sizes are checked here; which keys each kind takes is checked when the spec is read ({@link LayerSpecs}).
 *
 * @param kind       what the layer is
 * @param size       filters of a conv layer, units of a dense layer; 0 for the others
 * @param kernel     [height, width] of a conv or pool window
 * @param stride     [height, width] step of a conv or pool window
 * @param padding    conv and pool: {@code same} keeps height and width (at stride 1), {@code valid} does not pad
 * @param pooling    pool: max or average
 * @param activation conv and dense: null = {@code model.activation}
 * @param rate       dropout: probability of dropping an input; dense: dropout on its input (0 = none)
 */
public record LayerSpec(
        Kind kind,
        int size,
        List<Integer> kernel,
        List<Integer> stride,
        Padding padding,
        Pooling pooling,
        Activation activation,
        double rate) {

    /** Layer kinds of a CNN. */
    public enum Kind {
        CONV,
        POOL,
        DENSE,
        BATCHNORM,
        DROPOUT
    }

    /** How a window treats the border. */
    public enum Padding {
        SAME,
        VALID
    }

    /** Pooling function. */
    public enum Pooling {
        MAX,
        AVG
    }

    public LayerSpec {
        kernel = List.copyOf(kernel);
        stride = List.copyOf(stride);
        for (List<Integer> pair : List.of(kernel, stride)) {
            if (pair.size() != 2 || pair.get(0) <= 0 || pair.get(1) <= 0) {
                throw new SpecException("a " + SpecEnums.name(kind) + " layer's kernel and stride must be two whole "
                        + "numbers > 0 ([height, width]), got " + pair);
            }
        }
        if ((kind == Kind.CONV || kind == Kind.DENSE) && size <= 0) {
            throw new SpecException("a " + SpecEnums.name(kind) + " layer needs "
                    + (kind == Kind.CONV ? "filters" : "units") + " > 0, got " + size);
        }
        Checks.halfOpenUnit("a " + SpecEnums.name(kind) + " layer's rate", rate);
        if (kind == Kind.DROPOUT && rate == 0) {
            throw new SpecException("a dropout layer needs a rate in (0, 1)");
        }
    }
}
