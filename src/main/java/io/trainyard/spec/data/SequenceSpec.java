package io.trainyard.spec.data;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;

/**
 * Long-format time series cut into fixed-length windows (the {@code data.sequence.*} keys): one row per series and
 * time step in the source; one window of {@code window} steps per row after windowing. Off when {@code series} is
 * empty (rows then already hold their sequences as array columns).
 *
 * @param series  the column naming each series; empty = windowing is off
 * @param order   the column ordering a series' rows (a time, a date or a step number)
 * @param window  steps per window (the network's input length)
 * @param horizon forecasting: how many next values of {@code data.label} the network predicts
 * @param stride  steps between the starts of two windows of a series
 * @param split   whole series per split, or each series split in time (earliest windows train, latest test)
 */
public record SequenceSpec(String series, String order, int window, int horizon, int stride, SequenceSplit split)
        implements java.io.Serializable {

    /** How windows are split. */
    public enum SequenceSplit {
        /** Every window of a series lands in one split (the series is the split key). */
        SERIES,
        /** Per series, windows whose targets come first train, later ones validate, the last ones test. */
        TIME
    }

    public SequenceSpec {
        series = series == null ? "" : series;
        order = order == null ? "" : order;
        if (!series.isEmpty()) {
            Checks.nonBlank("data.sequence.order", order);
            if (order.equals(series)) {
                throw new SpecException("data.sequence.order must be another column than data.sequence.series, got '"
                        + order + "' for both");
            }
            Checks.atLeast("data.sequence.window", window, 1);
            Checks.atLeast("data.sequence.horizon", horizon, 1);
            Checks.atLeast("data.sequence.stride", stride, 1);
        }
    }

    /** Whether the source is long format and gets windowed. */
    public boolean enabled() {
        return !series.isEmpty();
    }
}
