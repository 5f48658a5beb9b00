package io.trainyard.spec.data;

/** What the label is: classes to predict, a number to predict, or {@code auto} (inferred from the label's type). */
public enum Task {
    AUTO,
    CLASSIFICATION,
    REGRESSION
}
