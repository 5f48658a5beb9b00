package io.trainyard.spec.train;

import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.model.ModelType;

/**
 * The validation metric that early stopping and sweeps watch; {@code auto} is the validation loss, or for a GAN the
 * MMD between generated and validation rows ({@code mmd}, the only one a GAN has).
 */
public enum StoppingMetric {
    AUTO(false),
    LOSS(false),
    ACCURACY(true),
    MACRO_F1(true),
    AUC(true),
    MSE(false),
    MAE(false),
    RMSE(false),
    R2(true),
    MMD(false);

    private final boolean higherIsBetter;

    StoppingMetric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public boolean forClassification() {
        return this == ACCURACY || this == MACRO_F1 || this == AUC;
    }

    public boolean forRegression() {
        return this == MSE || this == MAE || this == RMSE || this == R2;
    }

    /** Refuses, naming {@code key}, a metric the task does not have (the task may be known only once data is read). */
    public void checkApplies(String key, Task task) {
        if (task == Task.REGRESSION && forClassification() || task == Task.CLASSIFICATION && forRegression()) {
            throw new SpecException(
                    key + " = " + SpecEnums.name(this) + " does not apply to task = " + SpecEnums.name(task));
        }
    }

    /** This metric, with {@code auto} resolved for {@code type}: a GAN's {@code mmd}, another network's loss. */
    public StoppingMetric resolved(ModelType type) {
        if (this != AUTO) {
            return this;
        }
        return type == ModelType.GAN ? MMD : AUTO;
    }

    /** Refuses, naming {@code key}, a metric the model type does not have: mmd is a GAN's, and the only one it has. */
    public void checkApplies(String key, ModelType type) {
        if (type == ModelType.GAN && this != AUTO && this != MMD) {
            throw new SpecException(key + " = " + SpecEnums.name(this) + " does not apply to model.type = gan: a GAN "
                    + "is measured by the mmd between generated and validation rows (auto)");
        }
        if (type != ModelType.GAN && this == MMD) {
            throw new SpecException(key + " = mmd applies to model.type = gan only");
        }
    }
}
