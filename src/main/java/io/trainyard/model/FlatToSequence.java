package io.trainyard.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Reshapes flat rows of {@code features * steps} inputs (feature-major: all steps of the first feature, then the
 * next) into DL4J's sequence layout {@code [batch, features, steps]}, and gradients back. With it a recurrent network
 * takes the same flat minibatches, scoring rows and evaluation as every other family, as DL4J's
 * {@code convolutionalFlat} does for images.
 */
public final class FlatToSequence implements InputPreProcessor {
    private static final long serialVersionUID = 1L;
    private final long features;
    private final long steps;

    @JsonCreator
    public FlatToSequence(@JsonProperty("features") long features, @JsonProperty("steps") long steps) {
        this.features = features;
        this.steps = steps;
    }

    public long getFeatures() {
        return features;
    }

    public long getSteps() {
        return steps;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() == 3) {
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
        }
        if (input.columns() != features * steps) {
            throw new IllegalArgumentException("expected rows of " + features + " x " + steps + " = " + features * steps
                    + " inputs, got " + input.columns());
        }
        INDArray flat = input.ordering() == 'c' && Shape.hasDefaultStridesForShape(input)
                ? input
                : workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, flat.reshape('c', input.size(0), features, steps));
    }

    @Override
    public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray e = epsilons.ordering() == 'c' && Shape.hasDefaultStridesForShape(epsilons)
                ? epsilons
                : workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilons, 'c');
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, e.reshape('c', e.size(0), features * steps));
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeFeedForward ff && ff.getSize() != features * steps) {
            throw new IllegalStateException("expected " + features * steps + " inputs, got " + inputType);
        }
        return InputType.recurrent(features, steps);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(
            INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        // Windows are complete (every step present): there is no per-step mask to derive.
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public FlatToSequence clone() {
        return new FlatToSequence(features, steps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlatToSequence other && other.features == features && other.steps == steps;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(features) * 31 + Long.hashCode(steps);
    }
}
