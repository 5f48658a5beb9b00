package io.trainyard.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sampler run through brackets of successive halving, one bracket after another. A bracket's first rung is asked of
 * the sampler in batches (as many trials as run at once, when the sampler learns from results; the whole rung when it
 * does not), each trial of a batch seeing the ones proposed before it in the batch as bad results. Each later rung
 * continues the best of the rung before, chosen once that rung has wholly ended. Every decision is made on whole
 * batches of results, in planned order, so a sweep's course is a function of its seed, its batch size and its
 * results: not of timing, and not of a restart in the middle.
 */
final class Brackets implements Strategy {
    private static final TrialOutcome PENDING =
            TrialOutcome.failed(TrialOutcome.Status.FAILED, "proposed in the same batch", 0);
    private final Sampler sampler;
    private final List<Bracket> brackets;
    private final int batch;
    private final Mode mode;
    private final List<Observation> history = new ArrayList<>();
    private List<TrialPlan> handedOut = List.of();
    private int bracket;
    private int rung;
    private int proposed;
    private int nextId;
    private List<TrialPlan> rungPlans = new ArrayList<>();
    private Map<Integer, TrialOutcome> rungOutcomes = new LinkedHashMap<>();

    Brackets(Sampler sampler, List<Bracket> brackets, int batch, Mode mode) {
        this.sampler = sampler;
        this.brackets = List.copyOf(brackets);
        this.batch = Math.max(1, batch);
        this.mode = mode;
    }

    @Override
    public synchronized Round next(Map<Integer, TrialOutcome> ended) {
        for (TrialPlan plan : handedOut) {
            TrialOutcome outcome = ended.get(plan.id());
            if (outcome == null) {
                throw new IllegalStateException(plan.name() + " at " + plan.epochs() + " epoch(s) has no outcome");
            }
            rungOutcomes.put(plan.id(), outcome);
            history.add(new Observation(plan.params(), plan.epochs(), outcome));
        }
        handedOut = List.of();
        while (bracket < brackets.size()) {
            Bracket b = brackets.get(bracket);
            if (rung == 0 && proposed < b.trials()) {
                int n = sampler.adaptive() ? Math.min(batch, b.trials() - proposed) : b.trials() - proposed;
                List<TrialPlan> plans = new ArrayList<>();
                List<Observation> seen = new ArrayList<>(history);
                for (int i = 0; i < n; i++) {
                    int id = nextId++;
                    TrialPlan plan = new TrialPlan(
                            id, sampler.propose(id, seen), b.budgets().get(0));
                    plans.add(plan);
                    // A constant liar (Ginsbourger et al. 2010; Optuna's constant_liar): the batch's later trials see
                    // its earlier ones as bad results, so that one batch does not propose the same point twice.
                    seen.add(new Observation(plan.params(), plan.epochs(), PENDING, true));
                }
                proposed += n;
                rungPlans.addAll(plans);
                return hand(plans, List.of());
            }
            if (rung + 1 < b.budgets().size()) {
                List<TrialPlan> promoted =
                        promote(b.survivors(rung + 1), b.budgets().get(rung + 1));
                if (!promoted.isEmpty()) {
                    Set<Integer> going = new HashSet<>();
                    promoted.forEach(p -> going.add(p.id()));
                    List<TrialPlan> stopped = rungPlans.stream()
                            .filter(p -> !going.contains(p.id()))
                            .toList();
                    for (TrialPlan p : stopped) {
                        for (int later :
                                b.budgets().subList(rung + 1, b.budgets().size())) {
                            history.add(new Observation(p.params(), later, rungOutcomes.get(p.id()), true));
                        }
                    }
                    rung++;
                    rungPlans = new ArrayList<>(promoted);
                    rungOutcomes = new LinkedHashMap<>();
                    return hand(promoted, stopped);
                }
            }
            bracket++;
            rung = 0;
            proposed = 0;
            rungPlans = new ArrayList<>();
            rungOutcomes = new LinkedHashMap<>();
        }
        return new Round(List.of(), List.of());
    }

    /** The best {@code keep} trials of the rung that succeeded (a failed or diverged one never goes on), by id. */
    private List<TrialPlan> promote(int keep, int epochs) {
        return rungPlans.stream()
                .filter(p -> rungOutcomes.get(p.id()).succeeded())
                .sorted(mode.byBest(rungOutcomes))
                .limit(keep)
                .sorted(Comparator.comparingInt(TrialPlan::id))
                .map(p -> p.withEpochs(epochs))
                .toList();
    }

    private Round hand(List<TrialPlan> plans, List<TrialPlan> stopped) {
        handedOut = plans;
        return new Round(plans, stopped);
    }

    @Override
    public Work planned() {
        int runs = 0;
        long epochs = 0;
        for (Bracket b : brackets) {
            Work work = b.planned();
            runs += work.runs();
            epochs += work.epochs();
        }
        return new Work(runs, epochs);
    }
}
