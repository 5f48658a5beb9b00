package io.trainyard.gan;

/**
 * One GAN epoch: the mean losses of its last averaging round and the MMD of generated rows against validation rows.
 *
 * @param seconds the epoch's wall time, measurement included
 */
public record GanEpoch(
        int epoch, double discriminatorLoss, double generatorLoss, double validationMmd, double seconds) {
    /** The epoch's progress line. */
    public String describe(int epochs) {
        return String.format(
                "epoch %d/%d  discriminator loss %.4f  generator loss %.4f  validation mmd^2 %.5f  %.1fs",
                epoch, epochs, discriminatorLoss, generatorLoss, validationMmd, seconds);
    }
}
