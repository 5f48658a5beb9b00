/**
 * Hyperparameter sweeps: the search space ({@link io.trainyard.sweep.Domain}), the strategies that choose trials
 * (grid, seeded random, successive halving) and the driver-side scheduler that runs them several at once through a
 * {@link io.trainyard.sweep.TrialRunner}. Nothing here touches Spark: the runner does.
 */
package io.trainyard.sweep;
