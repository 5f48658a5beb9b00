/**
 * Fitting one network on one minibatch: {@link io.trainyard.train.step.LeanDenseStep}, DL4J's {@code fit} of dense
 * layers and an output layer recomputed with OpenBLAS's products and plain loops over the network's own memory, and
 * {@link io.trainyard.train.step.MinibatchFitter}, which picks it or DL4J's {@code fit} as {@code train.step} says;
 * {@link io.trainyard.train.step.DenseScorer}, the same forward pass scoring a split. Uses only {@code spec} and DL4J.
 */
package io.trainyard.train.step;
