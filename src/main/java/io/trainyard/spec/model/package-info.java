/** The {@code model} section of a job spec: the family, its layers and loss, autoencoder and GAN settings, the decision threshold. */
package io.trainyard.spec.model;
