/**
 * Measuring a model on a split: metrics computed by Trainyard from confusion matrices and residual sums (never DL4J's
 * averages), the binary decision threshold, the forecast baseline, and anomaly scores with their threshold. The
 * forward passes run on the executors; only counts and sums come back. Uses {@code model}, {@code data},
 * {@code spec}.
 */
package io.trainyard.evaluate;
