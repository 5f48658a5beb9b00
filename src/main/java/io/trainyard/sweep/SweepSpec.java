package io.trainyard.sweep;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.train.StoppingMetric;

/**
 * The {@code sweep.*} keys: what to search and how.
 *
 * @param maxEpochs successive halving's last budget; for grid and random, every trial's epochs
 */
public record SweepSpec(
        SweepSpace space,
        Kind kind,
        int trials,
        int parallel,
        int workersPerTrial,
        StoppingMetric metric,
        Mode mode,
        long seed,
        int minEpochs,
        int maxEpochs,
        int eta) {
    /** The most trials a sweep may plan: each has a ledger line, a result row and a trial directory. */
    public static final int MAX_TRIALS = 100_000;

    /** Search strategies. */
    public enum Kind {
        GRID,
        RANDOM,
        ASHA
    }

    public SweepSpec {
        Checks.between("sweep.trials", trials, 1, MAX_TRIALS);
        Checks.positive("sweep.parallel", parallel);
        Checks.positive("sweep.workers-per-trial", workersPerTrial);
        Checks.positive("sweep.min-epochs", minEpochs);
        Checks.positive("sweep.max-epochs", maxEpochs);
        Checks.atLeast("sweep.eta", eta, 2);
        if (minEpochs > maxEpochs) {
            throw new SpecException(
                    "sweep.min-epochs (" + minEpochs + ") must not exceed sweep.max-epochs (" + maxEpochs + ")");
        }
        if (space.domains().isEmpty()) {
            throw new SpecException("sweep.space is empty: name at least one spec key to sweep, e.g. "
                    + "\"train.learning-rate\" = {loguniform = [1e-4, 1e-2]}");
        }
    }

    /** Refuses a metric the task does not have (the task may be known only once the data is read). */
    public void checkMetricApplies(Task task) {
        metric.checkApplies("sweep.metric", task);
    }

    /** The strategy these keys describe. */
    public Strategy strategy() {
        return switch (kind) {
            case GRID -> Strategy.grid(space, maxEpochs, trials);
            case RANDOM -> Strategy.random(space, seed, trials, maxEpochs);
            case ASHA -> Strategy.successiveHalving(space, seed, trials, minEpochs, maxEpochs, eta, mode);
        };
    }
}
