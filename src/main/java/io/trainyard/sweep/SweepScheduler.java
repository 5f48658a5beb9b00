package io.trainyard.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a strategy's trials from driver threads, {@code parallel} at once, round by round. A trial that throws is
 * recorded as failed with the exception's message and the sweep goes on; an interrupt cancels the running trials.
 */
public final class SweepScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SweepScheduler.class);

    private SweepScheduler() {}

    /** Told what the scheduler does, from its threads: implementations must be thread-safe. */
    public interface Listener {
        /** A trial is about to run (on its own thread). */
        default void started(TrialPlan plan) {}

        /** A trial ended (on its own thread), before the scheduler acts on the outcome. */
        default void ended(TrialPlan plan, TrialOutcome outcome) {}

        /** A rung ended and these trials were not promoted to the next one. */
        default void stopped(List<TrialPlan> plans) {}
    }

    /** Each trial's last plan and outcome (the highest rung it reached), and the best trial. */
    public record Result(Map<Integer, TrialPlan> plans, Map<Integer, TrialOutcome> outcomes, Optional<Integer> best) {}

    public static Result run(Strategy strategy, TrialRunner runner, int parallel, Mode mode)
            throws InterruptedException {
        return run(strategy, runner, parallel, mode, new Listener() {});
    }

    public static Result run(Strategy strategy, TrialRunner runner, int parallel, Mode mode, Listener listener)
            throws InterruptedException {
        Map<Integer, TrialPlan> plans = new LinkedHashMap<>();
        Map<Integer, TrialOutcome> outcomes = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "sweep-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Strategy.Round round = strategy.next(Map.of()); !round.run().isEmpty(); ) {
                List<TrialPlan> rung = round.run();
                if (!round.stopped().isEmpty()) {
                    listener.stopped(round.stopped());
                }
                LOG.info(
                        "sweep: {} trial(s) at {} epoch(s)",
                        rung.size(),
                        rung.get(0).epochs());
                List<Future<TrialOutcome>> running = new ArrayList<>();
                for (TrialPlan plan : rung) {
                    running.add(pool.submit(() -> {
                        listener.started(plan);
                        TrialOutcome outcome = runner.run(plan);
                        listener.ended(plan, outcome);
                        return outcome;
                    }));
                }
                Map<Integer, TrialOutcome> rungOutcomes = new LinkedHashMap<>();
                for (int i = 0; i < rung.size(); i++) {
                    TrialPlan plan = rung.get(i);
                    rungOutcomes.put(plan.id(), outcome(running.get(i)));
                    plans.put(plan.id(), plan);
                }
                outcomes.putAll(rungOutcomes);
                round = strategy.next(rungOutcomes);
            }
        } finally {
            pool.shutdownNow();
        }
        Optional<Integer> best = plans.values().stream()
                .filter(p -> outcomes.get(p.id()).succeeded())
                .sorted(mode.byBest(outcomes))
                .map(TrialPlan::id)
                .findFirst();
        return new Result(plans, outcomes, best);
    }

    private static TrialOutcome outcome(Future<TrialOutcome> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            return TrialOutcome.failed(TrialOutcome.Status.FAILED, String.valueOf(cause), 0);
        }
    }
}
