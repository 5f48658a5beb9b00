/**
 * A sweep's trials on Spark: {@link io.trainyard.trials.SparkTrialRunner} implements the sweep's
 * {@link io.trainyard.sweep.TrialRunner} for any model family: each trial runs in a job group and scheduler pool of
 * its own, on minibatches re-batched for its swept batch size; its family trains, checkpoints (so promoted trials
 * continue where they stopped) and publishes it.
 */
package io.trainyard.trials;
