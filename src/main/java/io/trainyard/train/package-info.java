/**
 * Distributed training with DL4J parameter averaging on Spark: the trainer (epochs, validation, early stopping,
 * divergence), evaluation metrics, the model artifact and the whole train job. Spark and DL4J live here.
 */
package io.trainyard.train;
