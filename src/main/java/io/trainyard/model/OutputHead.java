package io.trainyard.model;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.model.Loss;
import io.trainyard.spec.model.ModelSpec;
import java.util.List;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The output layer a task and a model spec call for: width, activation and loss, with incompatible choices refused
 * before any training. Binary: sigmoid + binary cross-entropy on one column (or softmax + cce on two when asked);
 * multiclass: softmax + categorical cross-entropy; regression: identity + MSE (or MAE). With class weights, every
 * classification head is softmax + DL4J's weighted categorical cross-entropy (two columns for a binary label: the
 * same model as one sigmoid, and the one DL4J loss that weighs rows by their class).
 *
 * @param classWeights each class's weight in the loss, in class order; null when unweighted
 */
public record OutputHead(int width, Activation activation, Loss loss, List<Double> classWeights) {

    public OutputHead(int width, Activation activation, Loss loss) {
        this(width, activation, loss, null);
    }

    public static OutputHead choose(Task task, int classes, ModelSpec model) {
        return choose(task, classes, 1, model, null);
    }

    /** The head for data prepared by {@code plan}. */
    public static OutputHead of(FeaturePlan plan, ModelSpec model) {
        return choose(plan.task(), plan.classes().size(), plan.targets(), model, plan.classWeights());
    }

    /**
     * @param targets      regression outputs (a forecast's horizon); 1 otherwise
     * @param classWeights each class's weight in the loss; null when unweighted
     */
    public static OutputHead choose(Task task, int classes, int targets, ModelSpec model, List<Double> classWeights) {
        Loss loss = model.loss();
        Activation out = model.outputActivation();
        if (model.threshold().isSet() && !(task == Task.CLASSIFICATION && classes == 2)) {
            throw new SpecException("model.threshold applies to a binary label; this one is "
                    + (task == Task.REGRESSION ? "a regression target" : classes + " classes"));
        }
        if (task == Task.REGRESSION) {
            if (loss == Loss.BCE || loss == Loss.CCE) {
                throw new SpecException("model.loss = " + SpecEnums.name(loss) + " needs task = classification; "
                        + "use mse or mae for regression");
            }
            if (out == Activation.SOFTMAX) {
                throw new SpecException("model.output-activation = softmax needs task = classification");
            }
            return new OutputHead(
                    targets, out == null ? Activation.IDENTITY : out, loss == Loss.AUTO ? Loss.MSE : loss);
        }
        if (loss == Loss.MSE || loss == Loss.MAE) {
            throw new SpecException("model.loss = " + SpecEnums.name(loss) + " needs task = regression; "
                    + "use bce or cce (or auto) for classification");
        }
        if (classWeights != null) {
            if (loss == Loss.BCE || (out != null && out != Activation.SOFTMAX)) {
                throw new SpecException("train.class-weights trains softmax with weighted cce; leave model.loss and "
                        + "model.output-activation auto");
            }
            return new OutputHead(classes, Activation.SOFTMAX, Loss.CCE, classWeights);
        }
        if (classes == 2 && model.binaryAsOneColumn()) {
            return new OutputHead(1, out == null ? Activation.SIGMOID : out, Loss.BCE);
        }
        if (loss == Loss.BCE) {
            throw new SpecException(
                    "model.loss = bce needs a binary label; this label has " + classes + " classes (use cce or auto)");
        }
        if (out != null && out != Activation.SOFTMAX) {
            throw new SpecException("model.output-activation = " + out.name().toLowerCase(java.util.Locale.ROOT)
                    + " does not fit " + classes + " classes with cce; use softmax (or auto)");
        }
        return new OutputHead(classes, Activation.SOFTMAX, Loss.CCE);
    }

    public ILossFunction dl4jLoss() {
        if (classWeights != null) {
            double[] w = classWeights.stream().mapToDouble(Double::doubleValue).toArray();
            return new LossMCXENT(Nd4j.create(w, new long[] {1, w.length}, DataType.FLOAT));
        }
        return switch (loss) {
            case BCE -> LossFunctions.LossFunction.XENT.getILossFunction();
            case CCE -> LossFunctions.LossFunction.MCXENT.getILossFunction();
            case MSE -> LossFunctions.LossFunction.MSE.getILossFunction();
            case MAE -> LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR.getILossFunction();
            case AUTO -> throw new IllegalStateException("loss not resolved");
        };
    }
}
