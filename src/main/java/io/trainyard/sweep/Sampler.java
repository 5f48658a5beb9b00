package io.trainyard.sweep;

import java.util.List;
import java.util.Map;

/**
 * Where the next trial's values come from. A proposal is a function of the sweep's seed, the trial's id and the
 * observations passed in, and of nothing else (not of timing or finish order), so a resumed sweep proposes what an
 * uninterrupted one did.
 */
public interface Sampler {
    /** The values of trial {@code trial}, given every trial run that has ended so far, in planned order. */
    Map<String, Object> propose(int trial, List<Observation> history);

    /**
     * Whether proposals depend on the history. An adaptive sampler is asked for a batch of trials at a time (as many as
     * run at once), so that later batches learn from earlier ones; the others are asked for a whole rung at once.
     */
    default boolean adaptive() {
        return false;
    }

    /** The {@code trial}-th combination of the space's grid. */
    static Sampler grid(SweepSpace space) {
        return (trial, history) -> space.gridPoint(trial);
    }

    /** A seeded draw per trial: the same for a seed and id, whatever ran before. */
    static Sampler random(SweepSpace space, long seed) {
        return (trial, history) -> space.sample(seed, trial);
    }
}
