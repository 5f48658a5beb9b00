package io.trainyard.spec.train;

/** What fits one minibatch on a worker ({@code train.step}). */
public enum StepKind {
    /** The lean step where the network allows it (dense layers and an output layer), DL4J's {@code fit} elsewhere. */
    AUTO,
    /** The lean step, and a refusal naming why for a network it cannot train. */
    LEAN,
    /** DL4J's {@code MultiLayerNetwork.fit}, the reference. */
    DL4J
}
