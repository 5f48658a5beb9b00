package io.trainyard.sweep;

import java.util.List;
import java.util.Map;

/**
 * Which trial runs come next: a sampler (grid, random, TPE) chooses each new trial's values; a scheduler (none,
 * successive halving, Hyperband) decides each trial's epoch budget and which trials go on to a larger one.
 * Grid and random with no scheduler have one rung: every trial at the full budget. Successive halving starts every
 * trial at a small budget and, after each rung, continues the best {@code 1/eta} (never a trial that failed or
 * diverged) at {@code eta} times the epochs, until the full budget. Hyperband runs several such brackets, from
 * aggressive (many trials, few epochs) to none (few trials, all epochs).
 *
 * <p>Promotions are decided when a rung has finished, and an adaptive sampler's batches are proposed when the batch
 * before has finished, on all of their results. That is what makes a sweep's outcome a function of its seed alone,
 * whatever the order trials happen to finish in or a restart in the middle; ASHA's fully asynchronous promotions
 * would depend on timing. The price is idle slots while a rung's or batch's last trials finish.
 *
 * <p>A strategy is stateful: one instance drives one sweep.
 */
public interface Strategy {
    /** Trial runs to start now (empty: the sweep is done), and the trials the rung before did not promote. */
    record Round(List<TrialPlan> run, List<TrialPlan> stopped) {}

    /** An amount of sweep work. */
    record Work(int runs, long epochs) {}

    /** The first round (given no outcomes), then each next one given every outcome of the round before, by trial id. */
    Round next(Map<Integer, TrialOutcome> ended);

    /**
     * Trial runs (a trial at one rung) and epochs of training the sweep holds if every trial succeeds, a promoted
     * trial continuing from its previous rung: for progress and its estimate of the time left.
     */
    Work planned();

    /** {@code sampler} through {@code brackets}; an adaptive sampler is asked {@code batch} trials at a time. */
    static Strategy of(Sampler sampler, List<Bracket> brackets, int batch, Mode mode) {
        return new Brackets(sampler, brackets, batch, mode);
    }
}
