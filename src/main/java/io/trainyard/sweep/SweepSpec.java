package io.trainyard.sweep;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.train.StoppingMetric;
import java.util.List;

/**
 * The {@code sweep.*} keys: what to search and how.
 *
 * @param maxEpochs the largest epoch budget: every trial's epochs without a scheduler, the last rung's with one
 * @param startup   TPE's random trials before it models the results (per budget, under a scheduler)
 */
public record SweepSpec(
        SweepSpace space,
        SamplerKind sampler,
        SchedulerKind scheduler,
        int trials,
        int parallel,
        int workersPerTrial,
        StoppingMetric metric,
        Mode mode,
        long seed,
        int minEpochs,
        int maxEpochs,
        int eta,
        int startup) {
    /** The most trials a sweep may plan: each has a ledger line, a result row and a trial directory. */
    public static final int MAX_TRIALS = 100_000;

    /** Where new trials' values come from. */
    public enum SamplerKind {
        GRID,
        RANDOM,
        TPE
    }

    /** How epochs are given out among the trials. */
    public enum SchedulerKind {
        NONE,
        HALVING,
        HYPERBAND
    }

    public SweepSpec {
        Checks.between("sweep.trials", trials, 1, MAX_TRIALS);
        Checks.positive("sweep.parallel", parallel);
        Checks.positive("sweep.workers-per-trial", workersPerTrial);
        Checks.positive("sweep.min-epochs", minEpochs);
        Checks.positive("sweep.max-epochs", maxEpochs);
        Checks.atLeast("sweep.eta", eta, 2);
        Checks.positive("sweep.n-startup", startup);
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

    /** "tpe sampler, hyperband scheduler": for the console and the report. */
    public String describe() {
        return SpecEnums.name(sampler) + " sampler"
                + (scheduler == SchedulerKind.NONE ? "" : ", " + SpecEnums.name(scheduler) + " scheduler");
    }

    /**
     * A warning for a Hyperband sweep whose {@code trials} cut its first round of brackets short, so that the less
     * aggressive brackets never run; null otherwise.
     */
    public String shortHyperband() {
        long round = Bracket.hyperbandRound(minEpochs, maxEpochs, eta);
        return scheduler == SchedulerKind.HYPERBAND && trials < round
                ? "sweep.trials = " + trials + " is less than one round of Hyperband's brackets (" + round
                        + " trials for min-epochs " + minEpochs + ", max-epochs " + maxEpochs + ", eta " + eta
                        + "): only the most aggressive brackets run; raise sweep.trials or min-epochs"
                : null;
    }

    /** The brackets the scheduler runs; a grid has at most as many trials as combinations. */
    public List<Bracket> brackets() {
        int n = sampler == SamplerKind.GRID ? (int) Math.min(trials, space.gridSize()) : trials;
        return switch (scheduler) {
            case NONE -> List.of(Bracket.single(n, maxEpochs));
            case HALVING -> List.of(Bracket.halving(n, minEpochs, maxEpochs, eta));
            case HYPERBAND -> Bracket.hyperband(n, minEpochs, maxEpochs, eta);
        };
    }

    /** The strategy these keys describe: a new one per sweep, as it keeps the sweep's state. */
    public Strategy strategy() {
        Sampler s = switch (sampler) {
            case GRID -> Sampler.grid(space);
            case RANDOM -> Sampler.random(space, seed);
            case TPE -> new TpeSampler(space, seed, mode, startup);
        };
        return Strategy.of(s, brackets(), parallel, mode);
    }
}
