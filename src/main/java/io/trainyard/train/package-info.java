/**
 * The epoch loop of network training: each epoch through an {@link io.trainyard.train.averaging.EpochFitter},
 * validation after it, the learning-rate schedule, early stopping, and the refusal to go on once the loss or the
 * parameters stop being finite; what a training returns, where it starts (fresh or from a checkpoint), and the memory
 * check before it. Uses {@code train.averaging}, {@code evaluate}, {@code model}, {@code data}, {@code spec},
 * {@code run}.
 */
package io.trainyard.train;
