package io.trainyard.spec.model;

/** Training losses; {@code auto} picks from the task (binary: bce, multiclass: cce, regression: mse). */
public enum Loss {
    AUTO,
    /** Binary cross-entropy, with a sigmoid output. */
    BCE,
    /** Categorical cross-entropy, with a softmax output. */
    CCE,
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    MAE
}
