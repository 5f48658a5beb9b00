package io.trainyard.spec.data;

/** Whether the split keeps each class's share: {@code auto} means yes for classification, no for regression. */
public enum Stratify {
    AUTO,
    TRUE,
    FALSE
}
