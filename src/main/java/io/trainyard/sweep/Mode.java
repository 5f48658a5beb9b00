package io.trainyard.sweep;

import java.util.Comparator;
import java.util.Map;

/** Whether a larger ({@code max}: accuracy, AUC) or smaller ({@code min}: loss, MSE) metric is better. */
public enum Mode {
    MAX,
    MIN;

    /** True when {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return this == MAX ? a > b : a < b;
    }

    /** Best first; ties go to the lower trial id, so rankings never depend on timing. */
    public Comparator<TrialPlan> byBest(Map<Integer, TrialOutcome> outcomes) {
        Comparator<TrialPlan> byMetric =
                Comparator.comparingDouble(p -> outcomes.get(p.id()).best());
        return (this == MAX ? byMetric.reversed() : byMetric).thenComparingInt(TrialPlan::id);
    }
}
