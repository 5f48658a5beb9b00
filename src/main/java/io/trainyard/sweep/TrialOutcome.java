package io.trainyard.sweep;

import java.util.List;

/**
 * What a trial ended with: its status, the best validation metric over its epochs (NaN unless it succeeded), the
 * metric per epoch, the epochs run, its wall time and, when it did not succeed, why.
 */
public record TrialOutcome(
        Status status, double best, List<Double> history, int epochsRun, double seconds, String reason) {
    /** How a trial ended. */
    public enum Status {
        SUCCEEDED,
        DIVERGED,
        FAILED
    }

    public TrialOutcome {
        history = List.copyOf(history);
    }

    /** A trial that trained every epoch of {@code history} (its metric per epoch), the best being {@code best}. */
    public static TrialOutcome succeeded(double best, List<Double> history, double seconds) {
        return new TrialOutcome(Status.SUCCEEDED, best, history, history.size(), seconds, null);
    }

    public static TrialOutcome failed(Status status, String reason, double seconds) {
        return new TrialOutcome(status, Double.NaN, List.of(), 0, seconds, reason);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
