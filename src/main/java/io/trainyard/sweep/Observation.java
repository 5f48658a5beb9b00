package io.trainyard.sweep;

import java.util.Map;

/**
 * One ended trial run as a sampler learns from it: the values tried, the epoch budget it ran at, and how it ended. A
 * trial that successive halving did not promote is observed, {@code stopped}, at each budget it did not reach: it
 * ranked below the trials that did, so a model fitted at that budget counts it among the bad ones.
 */
public record Observation(Map<String, Object> params, int epochs, TrialOutcome outcome, boolean stopped) {
    public Observation(Map<String, Object> params, int epochs, TrialOutcome outcome) {
        this(params, epochs, outcome, false);
    }

    /**
     * The value a sampler minimises: the best validation metric, negated when larger is better; a stopped, failed or
     * diverged run, or a NaN metric, is worse than every finite result.
     */
    double loss(Mode mode) {
        if (stopped || !outcome.succeeded() || Double.isNaN(outcome.best())) {
            return Double.POSITIVE_INFINITY;
        }
        return mode == Mode.MAX ? -outcome.best() : outcome.best();
    }
}
