package io.trainyard.spec.train;

/** Gradient updaters, as DL4J provides them. {@code momentum} is DL4J's Nesterov momentum. */
public enum Optimizer {
    SGD,
    MOMENTUM,
    NESTEROVS,
    ADAM,
    ADAMAX,
    NADAM,
    AMSGRAD,
    RMSPROP,
    ADAGRAD,
    ADADELTA
}
