package io.trainyard.spec.data;

/** How scalar features are rescaled, with statistics fitted on the train split only. */
public enum NormalizeMethod {
    /** (x - mean) / standard deviation. */
    STANDARD,
    /** (x - min) / (max - min), into [0, 1] on the train split. */
    MINMAX,
    /** As they are. */
    NONE
}
