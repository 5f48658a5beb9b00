/**
 * Hyperparameter sweeps, as plain Java: the search space ({@link io.trainyard.sweep.Domain}), the samplers that choose
 * each trial's values (grid, seeded random, TPE), the brackets that give out epochs (none, successive halving,
 * Hyperband), the driver-side scheduler that runs them several at once through a
 * {@link io.trainyard.sweep.TrialRunner}, the ledger a sweep resumes from, and its console progress. Spark is reached
 * only through the runner: {@code io.trainyard.trials.SparkTrialRunner} trains a trial and
 * {@code io.trainyard.job.SweepJob} runs a whole sweep.
 */
package io.trainyard.sweep;
