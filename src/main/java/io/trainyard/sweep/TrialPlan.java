package io.trainyard.sweep;

import java.util.Map;

/**
 * One trial: its id (0, 1, ...: the order the strategy created it in), the swept keys' values, and how many epochs
 * to train it for at this step (successive halving raises it rung by rung).
 */
public record TrialPlan(int id, Map<String, Object> params, int epochs) {
    public TrialPlan {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    public TrialPlan withEpochs(int more) {
        return new TrialPlan(id, params, more);
    }

    /** A file-system-safe name: {@code trial-0007}. */
    public String name() {
        return name(id);
    }

    public static String name(int id) {
        return String.format("trial-%04d", id);
    }
}
