package io.trainyard.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One line of a sweep's ledger. Kinds: {@code sweep} (the spec's fingerprint, first line), {@code started},
 * {@code epoch} (a trial's validation metric after an epoch), {@code finished} (succeeded, with its outcome),
 * {@code failed} (failed or diverged, with its outcome) and {@code stopped} (not promoted to the next rung).
 *
 * @param epochs the trial's epoch budget at this rung; {@code epoch} the 1-based epoch an epoch event reports
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEvent(
        String event,
        String time,
        Integer trial,
        Integer epochs,
        Map<String, Object> params,
        Integer epoch,
        Double metric,
        TrialOutcome outcome,
        String fingerprint) {
    public static final String SWEEP = "sweep";
    public static final String STARTED = "started";
    public static final String EPOCH = "epoch";
    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";
    public static final String STOPPED = "stopped";

    public static LedgerEvent sweep(String fingerprint) {
        return new LedgerEvent(SWEEP, now(), null, null, null, null, null, null, fingerprint);
    }

    public static LedgerEvent started(TrialPlan plan) {
        return new LedgerEvent(STARTED, now(), plan.id(), plan.epochs(), plan.params(), null, null, null, null);
    }

    public static LedgerEvent epoch(TrialPlan plan, int epoch, double metric) {
        return new LedgerEvent(EPOCH, now(), plan.id(), plan.epochs(), null, epoch, metric, null, null);
    }

    public static LedgerEvent ended(TrialPlan plan, TrialOutcome outcome) {
        return new LedgerEvent(
                outcome.succeeded() ? FINISHED : FAILED,
                now(),
                plan.id(),
                plan.epochs(),
                null,
                null,
                null,
                outcome,
                null);
    }

    public static LedgerEvent stopped(TrialPlan plan) {
        return new LedgerEvent(STOPPED, now(), plan.id(), plan.epochs(), null, null, null, null, null);
    }

    private static String now() {
        return java.time.Instant.now().toString();
    }
}
