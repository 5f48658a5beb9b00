package io.trainyard.train;

/**
 * One GAN epoch: the mean losses of its last averaging round and the MMD of generated rows against validation rows.
 *
 * @param seconds the epoch's wall time, measurement included
 */
public record GanEpoch(int epoch, double discriminatorLoss, double generatorLoss, double validationMmd,
                       double seconds) {
}
