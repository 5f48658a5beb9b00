package io.trainyard.sweep;

import io.trainyard.spec.train.StoppingMetric;

/**
 * The plain strategies the tests drive by hand, each built the way a sweep builds its own: from {@code sweep.*} keys
 * ({@link SweepSpec#strategy}), so that the tests exercise production's assembly, the grid's cap included.
 */
final class Strategies {
    private Strategies() {}

    /** Every combination of the space's choices, each trained for {@code epochs}; at most {@code limit} trials. */
    static Strategy grid(SweepSpace space, int epochs, int limit) {
        return spec(space, SweepSpec.SamplerKind.GRID, SweepSpec.SchedulerKind.NONE, 0, limit, 1, epochs, 2, Mode.MAX);
    }

    /** {@code trials} draws from the space, seeded per trial, each trained for {@code epochs}. */
    static Strategy random(SweepSpace space, long seed, int trials, int epochs) {
        return spec(
                space,
                SweepSpec.SamplerKind.RANDOM,
                SweepSpec.SchedulerKind.NONE,
                seed,
                trials,
                1,
                epochs,
                2,
                Mode.MAX);
    }

    /** Successive halving over {@code trials} seeded draws, from {@code minEpochs} up to {@code maxEpochs}. */
    static Strategy successiveHalving(
            SweepSpace space, long seed, int trials, int minEpochs, int maxEpochs, int eta, Mode mode) {
        return spec(
                space,
                SweepSpec.SamplerKind.RANDOM,
                SweepSpec.SchedulerKind.HALVING,
                seed,
                trials,
                minEpochs,
                maxEpochs,
                eta,
                mode);
    }

    private static Strategy spec(
            SweepSpace space,
            SweepSpec.SamplerKind sampler,
            SweepSpec.SchedulerKind scheduler,
            long seed,
            int trials,
            int minEpochs,
            int maxEpochs,
            int eta,
            Mode mode) {
        StoppingMetric metric = mode == Mode.MAX ? StoppingMetric.ACCURACY : StoppingMetric.LOSS;
        return new SweepSpec(
                        space,
                        sampler,
                        scheduler,
                        trials,
                        1,
                        1,
                        metric,
                        mode,
                        seed,
                        Math.min(minEpochs, maxEpochs),
                        maxEpochs,
                        eta,
                        10)
                .strategy();
    }
}
