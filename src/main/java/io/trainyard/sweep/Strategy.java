package io.trainyard.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which trials run, rung by rung. Grid and random have one rung: every trial at the full epoch budget. Successive
 * halving starts every trial at a small budget and, after each rung, continues the best {@code 1/eta} (never a trial
 * that failed or diverged) at {@code eta} times the epochs, until the full budget.
 *
 * <p>Promotions are decided when a rung has finished, on all of its results. That is what makes a sweep's outcome a
 * function of its seed alone, whatever the parallelism, the order trials happen to finish in, or a restart in the
 * middle; ASHA's fully asynchronous promotions would depend on timing. The price is idle slots while a rung's last
 * trials finish.
 */
public interface Strategy {
    List<TrialPlan> firstRung();

    /**
     * Trial runs (a trial at one rung) and epochs of training the sweep holds if every trial succeeds, a promoted
     * trial continuing from its previous rung: for progress and its estimate of the time left.
     */
    Work planned();

    /** An amount of sweep work. */
    record Work(int runs, long epochs) {}

    /** The next rung given every outcome of {@code rung}; empty when the sweep is done. */
    List<TrialPlan> nextRung(List<TrialPlan> rung, Map<Integer, TrialOutcome> outcomes);

    /** Every combination of the space's choices, each trained for {@code epochs}; at most {@code limit} trials. */
    static Strategy grid(SweepSpace space, int epochs, int limit) {
        List<Map<String, Object>> combinations = space.grid(limit);
        List<TrialPlan> plans = new ArrayList<>();
        for (int i = 0; i < combinations.size(); i++) {
            plans.add(new TrialPlan(i, combinations.get(i), epochs));
        }
        return single(plans);
    }

    /** {@code trials} draws from the space, seeded per trial, each trained for {@code epochs}. */
    static Strategy random(SweepSpace space, long seed, int trials, int epochs) {
        return single(drawn(space, seed, trials, epochs));
    }

    /** Successive halving over {@code trials} seeded draws, from {@code minEpochs} up to {@code maxEpochs}. */
    static Strategy successiveHalving(
            SweepSpace space, long seed, int trials, int minEpochs, int maxEpochs, int eta, Mode mode) {
        int firstBudget = Math.min(minEpochs, maxEpochs);
        List<TrialPlan> first = drawn(space, seed, trials, firstBudget);
        return new Strategy() {
            @Override
            public List<TrialPlan> firstRung() {
                return first;
            }

            @Override
            public Work planned() {
                int runs = 0;
                long work = 0;
                int previous = 0;
                for (int size = trials, epochs = firstBudget;
                        ;
                        size = promoted(size, eta), epochs = nextBudget(epochs, eta, maxEpochs)) {
                    runs += size;
                    work += (long) size * (epochs - previous);
                    previous = epochs;
                    if (epochs >= maxEpochs) {
                        return new Work(runs, work);
                    }
                }
            }

            @Override
            public List<TrialPlan> nextRung(List<TrialPlan> rung, Map<Integer, TrialOutcome> outcomes) {
                int epochs = rung.get(0).epochs();
                if (epochs >= maxEpochs) {
                    return List.of();
                }
                int keep = promoted(rung.size(), eta);
                int next = nextBudget(epochs, eta, maxEpochs);
                return rung.stream()
                        .filter(p -> outcomes.containsKey(p.id())
                                && outcomes.get(p.id()).succeeded())
                        .sorted(mode.byBest(outcomes))
                        .limit(keep)
                        .sorted(Comparator.comparingInt(TrialPlan::id))
                        .map(p -> p.withEpochs(next))
                        .toList();
            }
        };
    }

    /** How many of a successive-halving rung of {@code size} go on to the next: the best 1/eta, at least one. */
    private static int promoted(int size, int eta) {
        return Math.max(1, size / eta);
    }

    /** The epoch budget of the rung after one of {@code epochs}: eta times more, at most {@code maxEpochs}. */
    private static int nextBudget(int epochs, int eta, int maxEpochs) {
        return (int) Math.min(maxEpochs, (long) epochs * eta);
    }

    private static List<TrialPlan> drawn(SweepSpace space, long seed, int trials, int epochs) {
        List<TrialPlan> plans = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            plans.add(new TrialPlan(i, space.sample(seed, i), epochs));
        }
        return plans;
    }

    private static Strategy single(List<TrialPlan> plans) {
        return new Strategy() {
            @Override
            public List<TrialPlan> firstRung() {
                return plans;
            }

            @Override
            public Work planned() {
                return new Work(
                        plans.size(),
                        plans.stream().mapToLong(TrialPlan::epochs).sum());
            }

            @Override
            public List<TrialPlan> nextRung(List<TrialPlan> rung, Map<Integer, TrialOutcome> outcomes) {
                return List.of();
            }
        };
    }
}
