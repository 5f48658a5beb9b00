package io.trainyard.spec.model;

/** Network families. */
public enum ModelType {
    /** Multi-layer perceptron: dense hidden layers, then the output layer. */
    MLP,
    /** Convolutional network: {@code model.layers} over an input of {@code data.shape = [channels, height, width]}. */
    CNN,
    /** Recurrent network: {@code model.hidden} recurrent layers of {@code model.cell} over {@code data.shape = [features, steps]}. */
    RNN,
    /**
     * Autoencoder: {@code model.hidden} encoder layers, a {@code model.bottleneck}, a decoder, trained to reconstruct
     * its input; the reconstruction error is an anomaly score.
     */
    AUTOENCODER,
    /** Generative adversarial network: a generator and a discriminator ({@code model.gan.*}) trained in turns. */
    GAN
}
