package io.trainyard.model;

import io.trainyard.spec.Loss;
import io.trainyard.spec.ModelSpec;
import io.trainyard.spec.SpecEnums;
import io.trainyard.spec.SpecException;
import io.trainyard.spec.Task;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The output layer a task and a model spec call for: width, activation and loss, with incompatible choices refused
 * before any training. Binary: sigmoid + binary cross-entropy on one column (or softmax + cce on two when asked);
 * multiclass: softmax + categorical cross-entropy; regression: identity + MSE (or MAE).
 */
public record OutputHead(int width, Activation activation, Loss loss) {

    public static OutputHead choose(Task task, int classes, ModelSpec model) {
        return choose(task, classes, 1, model);
    }

    /** The head for data prepared by {@code plan}. */
    public static OutputHead of(io.trainyard.data.FeaturePlan plan, ModelSpec model) {
        return choose(plan.task(), plan.classes().size(), plan.targets(), model);
    }

    /** @param targets regression outputs (a forecast's horizon); 1 otherwise */
    public static OutputHead choose(Task task, int classes, int targets, ModelSpec model) {
        Loss loss = model.loss();
        Activation out = model.outputActivation();
        if (task == Task.REGRESSION) {
            if (loss == Loss.BCE || loss == Loss.CCE) {
                throw new SpecException("model.loss = " + SpecEnums.name(loss) + " needs task = classification; "
                        + "use mse or mae for regression");
            }
            if (out == Activation.SOFTMAX) {
                throw new SpecException("model.output-activation = softmax needs task = classification");
            }
            return new OutputHead(targets, out == null ? Activation.IDENTITY : out, loss == Loss.AUTO ? Loss.MSE : loss);
        }
        if (loss == Loss.MSE || loss == Loss.MAE) {
            throw new SpecException("model.loss = " + SpecEnums.name(loss) + " needs task = regression; "
                    + "use bce or cce (or auto) for classification");
        }
        if (classes == 2 && model.binaryAsOneColumn()) {
            return new OutputHead(1, out == null ? Activation.SIGMOID : out, Loss.BCE);
        }
        if (loss == Loss.BCE) {
            throw new SpecException("model.loss = bce needs a binary label; this label has " + classes
                    + " classes (use cce or auto)");
        }
        if (out != null && out != Activation.SOFTMAX) {
            throw new SpecException("model.output-activation = " + out.name().toLowerCase(java.util.Locale.ROOT)
                    + " does not fit " + classes + " classes with cce; use softmax (or auto)");
        }
        return new OutputHead(classes, Activation.SOFTMAX, Loss.CCE);
    }

    public LossFunctions.LossFunction dl4jLoss() {
        return switch (loss) {
            case BCE -> LossFunctions.LossFunction.XENT;
            case CCE -> LossFunctions.LossFunction.MCXENT;
            case MSE -> LossFunctions.LossFunction.MSE;
            case MAE -> LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR;
            case AUTO -> throw new IllegalStateException("loss not resolved");
        };
    }
}
