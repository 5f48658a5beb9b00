package io.trainyard.train;

/** One epoch of training: its training loss, its validation metrics and how fast it ran. */
public record EpochRecord(int epoch, double trainLoss, Metrics validation, double examplesPerSecond, double seconds) {
}
