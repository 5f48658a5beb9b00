package io.trainyard.sweep;

import io.trainyard.spec.check.SpecEnums;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep's console: a line per ended trial (its values, metric, epochs, time) and a progress line after it (runs
 * done, running and left, the best so far, an estimate of the time left from the epochs of training left).
 */
public final class SweepProgress implements SweepScheduler.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SweepProgress.class);
    private final Strategy.Work planned;
    private final String metric;
    private final Mode mode;
    private final long start = System.nanoTime();
    private final Map<Integer, Integer> budgetDone = new HashMap<>();
    private int done;
    private int running;
    private long epochsDone;
    private Integer best;
    private double bestValue = Double.NaN;

    public SweepProgress(Strategy.Work planned, String metric, Mode mode) {
        this.planned = planned;
        this.metric = metric;
        this.mode = mode;
    }

    @Override
    public synchronized void started(TrialPlan plan) {
        running++;
    }

    @Override
    public synchronized void ended(TrialPlan plan, TrialOutcome outcome) {
        running--;
        done++;
        epochsDone += plan.epochs() - budgetDone.getOrDefault(plan.id(), 0);
        budgetDone.put(plan.id(), plan.epochs());
        if (outcome.succeeded() && (best == null || mode.better(outcome.best(), bestValue))) {
            best = plan.id();
            bestValue = outcome.best();
        }
        LOG.info(String.format(
                Locale.ROOT,
                "%s %s | %s | %s | %d epoch(s) | %.1f s",
                plan.name(),
                SpecEnums.name(outcome.status()),
                describe(plan.params()),
                outcome.succeeded()
                        ? String.format(Locale.ROOT, "val %s %.4f", metric, outcome.best())
                        : outcome.reason(),
                outcome.epochsRun(),
                outcome.seconds()));
        double elapsed = (System.nanoTime() - start) / 1e9;
        long epochsLeft = Math.max(0, planned.epochs() - epochsDone);
        String eta = epochsDone == 0 ? "?" : duration(elapsed / epochsDone * epochsLeft);
        LOG.info(String.format(
                Locale.ROOT,
                "sweep: %d done, %d running, %d left | best %s | elapsed %s, eta %s",
                done,
                running,
                Math.max(0, planned.runs() - done - running),
                best == null
                        ? "none yet"
                        : String.format(Locale.ROOT, "%s %.4f (%s)", metric, bestValue, TrialPlan.name(best)),
                duration(elapsed),
                eta));
    }

    @Override
    public void stopped(List<TrialPlan> plans) {
        if (!plans.isEmpty()) {
            LOG.info(
                    "sweep: not promoted past {} epoch(s): {}",
                    plans.get(0).epochs(),
                    plans.stream().map(TrialPlan::name).collect(Collectors.joining(", ")));
        }
    }

    public static String describe(Map<String, Object> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    public static String format(Object value) {
        if (value instanceof Double d) {
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(value).replace(" ", "");
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
