package io.trainyard.spec.train;

import io.trainyard.spec.check.Checks;

/**
 * When to stop before {@code train.epochs}: after {@code patience} epochs without the metric improving by more than
 * {@code minDelta}. Patience 0 turns early stopping off (the best epoch is still the one kept).
 */
public record EarlyStoppingSpec(int patience, double minDelta, StoppingMetric metric) {
    public EarlyStoppingSpec {
        Checks.atLeast("train.early-stopping.patience", patience, 0);
        Checks.nonNegative("train.early-stopping.min-delta", minDelta);
    }
}
