package io.trainyard.generate;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom} (Box-Muller; one value per call keeps rows independent). */
final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
