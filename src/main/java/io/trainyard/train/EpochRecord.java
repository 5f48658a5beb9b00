package io.trainyard.train;

import io.trainyard.evaluate.Metrics;

/**
 * One epoch of training: its training loss, its validation metrics, how fast it ran, and the learning rate it trained
 * with (0 in checkpoints written before schedules existed).
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        Metrics validation,
        double examplesPerSecond,
        double seconds,
        double learningRate) {}
