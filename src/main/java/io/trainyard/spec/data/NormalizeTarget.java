package io.trainyard.spec.data;

/** Whether a regression label is standardised for training (statistics fitted on the train split only). */
public enum NormalizeTarget {
    /** Standard for regression, nothing for classification. */
    AUTO,
    /** (y - mean) / standard deviation while training; predictions and metrics in the label's own units. */
    STANDARD,
    /** As it is. */
    NONE
}
