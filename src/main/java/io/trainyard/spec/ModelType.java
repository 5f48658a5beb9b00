package io.trainyard.spec;

/** Network families. */
public enum ModelType {
    /** Multi-layer perceptron: dense hidden layers, then the output layer. */
    MLP
}
