/**
 * A sweep's trials on Spark: {@link io.trainyard.trials.SparkTrialRunner} implements the sweep's
 * {@link io.trainyard.sweep.TrialRunner} for one network or a GAN, with per-trial checkpoints so promoted trials
 * continue where they stopped, and re-batched minibatches for swept batch sizes. The best trial is published through
 * the {@link io.trainyard.trials.BestTrialPublisher} the sweep's job provides.
 */
package io.trainyard.trials;
