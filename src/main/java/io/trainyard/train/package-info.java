/**
 * Distributed training with DL4J parameter averaging on Spark: the trainer (epochs, validation, early stopping,
 * divergence), evaluation metrics, the model artifact, trial checkpoints, and the whole train and sweep jobs. Spark
 * and DL4J live here.
 */
package io.trainyard.train;
