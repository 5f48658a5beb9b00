package io.trainyard.spec.model;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;
import java.util.List;

/**
 * A GAN's own keys ({@code model.gan.*}): the two networks, their optimisers' step sizes and the stabilisers.
 *
 * @param noise                      width of the generator's noise input
 * @param generator                  the generator's hidden widths, noise side first
 * @param discriminator              the discriminator's hidden widths, input side first
 * @param generatorLearningRate      the generator's step size ({@code train.optimizer}'s kind)
 * @param discriminatorLearningRate  the discriminator's step size
 * @param labelSmoothing             the discriminator's target for real rows (one-sided smoothing; 1 = none)
 * @param discriminatorSteps         discriminator minibatches per generator step
 * @param samples                    generated rows written with the model
 */
public record GanSpec(
        int noise,
        List<Integer> generator,
        List<Integer> discriminator,
        double generatorLearningRate,
        double discriminatorLearningRate,
        double labelSmoothing,
        int discriminatorSteps,
        int samples) {
    public GanSpec {
        Checks.positive("model.gan.noise", noise);
        generator = List.copyOf(generator);
        discriminator = List.copyOf(discriminator);
        ModelSpec.requireAtMostMaxLayers("model.gan.generator", generator);
        ModelSpec.requireAtMostMaxLayers("model.gan.discriminator", discriminator);
        for (int w : generator) {
            Checks.positive("model.gan.generator", w);
        }
        for (int w : discriminator) {
            Checks.positive("model.gan.discriminator", w);
        }
        Checks.positive("model.gan.generator-learning-rate", generatorLearningRate);
        Checks.positive("model.gan.discriminator-learning-rate", discriminatorLearningRate);
        if (!(labelSmoothing > 0.5 && labelSmoothing <= 1)) {
            throw new SpecException("model.gan.label-smoothing must be in (0.5, 1], got " + labelSmoothing);
        }
        Checks.positive("model.gan.discriminator-steps", discriminatorSteps);
        Checks.positive("model.gan.samples", samples);
    }
}
