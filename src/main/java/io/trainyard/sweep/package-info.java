/**
 * Hyperparameter sweeps. Pure logic: the search space ({@link io.trainyard.sweep.Domain}), the strategies that choose
 * trials (grid, seeded random, successive halving), the driver-side scheduler that runs them several at once through
 * a {@link io.trainyard.sweep.TrialRunner}, and the ledger a sweep resumes from. On Spark:
 * {@link io.trainyard.sweep.SparkTrialRunner} trains a trial (continuing from its checkpoint after a promotion) and
 * {@link io.trainyard.sweep.SweepJob} runs a whole sweep and writes its results, report and best model.
 */
package io.trainyard.sweep;
