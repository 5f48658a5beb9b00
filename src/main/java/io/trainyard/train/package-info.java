/**
 * Distributed training with DL4J parameter averaging on Spark: the trainer (epochs, validation, early stopping,
 * divergence), the GAN engine and trainer, evaluation metrics (with the forecast baseline, anomaly detection and
 * MMD), the model artifact, batch scoring, the sweep's trial runners (one network, or a GAN's two) and their
 * checkpoints, and the whole train, GAN and sweep jobs. Spark and DL4J live here.
 */
package io.trainyard.train;
