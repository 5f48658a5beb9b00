package io.trainyard.evaluate;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import java.io.Serializable;
import java.util.List;

/**
 * Where a forecast's own history sits in its input vector: the forecast column's window, step by step (oldest
 * first), at slots {@code target * window + step} (see {@link FeaturePlan#lastObservedInput()}), each with its own
 * normalisation.
 *
 * @param slots  each step's input slot
 * @param center each step's normalisation centre
 * @param scale  each step's normalisation scale
 */
record HistorySlots(int[] slots, double[] center, double[] scale) implements Serializable {
    /** The history of {@code plan} normalised by {@code stats}, or null when the plan does not forecast its own. */
    static HistorySlots of(FeaturePlan plan, NormalizerStats stats) {
        int last = plan.lastObservedInput();
        if (last < 0) {
            return null;
        }
        int window = plan.windows().sequence().window();
        List<ModelInput> scalars = plan.scalarInputs();
        int firstSlot = scalars.get(last).offset() - (window - 1);
        int[] slots = new int[window];
        double[] center = new double[window];
        double[] scale = new double[window];
        for (int i = 0; i < scalars.size(); i++) {
            int step = scalars.get(i).offset() - firstSlot;
            if (step >= 0 && step < window) {
                slots[step] = scalars.get(i).offset();
                center[step] = stats.center().get(i);
                scale[step] = stats.scale().get(i);
            }
        }
        return new HistorySlots(slots, center, scale);
    }

    /** Steps in the window. */
    int steps() {
        return slots.length;
    }

    /** Step {@code step}'s normalised input back in the column's units. */
    double original(double normalised, int step) {
        return normalised * scale[step] + center[step];
    }
}
