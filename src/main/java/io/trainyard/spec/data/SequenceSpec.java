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
 * @param scale   a forecast of its own history: relative to each window's last value (and divided by the window's
 *                spread), or on the global scale
 * @param season  steps per season (12 for months in a year); 0 = none. Adds the seasonal naive forecast as a baseline
 */
public record SequenceSpec(
        String series,
        String order,
        int window,
        int horizon,
        int stride,
        SequenceSplit split,
        SequenceScale scale,
        int season)
        implements java.io.Serializable {

    /** How windows are split. */
    public enum SequenceSplit {
        /** Every window of a series lands in one split (the series is the split key). */
        SERIES,
        /** Per series, windows whose targets come first train, later ones validate, the last ones test. */
        TIME
    }

    /** How a forecast sees the level of the column it continues. */
    public enum SequenceScale {
        /**
         * Level-free: the column's window and its targets are taken relative to the window's last value (the network
         * forecasts the change), then normalised with the train split's statistics of those changes; the level is
         * added back to every forecast. A series can then be forecast above or below anything it trained on.
         */
        WINDOW,
        /**
         * As {@link #WINDOW}, each window's changes and targets also divided by the window's spread: the mean absolute
         * change between its steps (the naive forecast's error within the window). Series of very different sizes in
         * one table then share one scale; every forecast is multiplied back by its window's spread.
         */
        SPREAD,
        /** The column's values as they are, normalised with the train split's statistics: levels are learned. */
        GLOBAL
    }

    public SequenceSpec {
        series = series == null ? "" : series;
        // A plan saved before data.sequence.scale existed forecast on the global scale.
        scale = scale == null ? SequenceScale.GLOBAL : scale;
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
            Checks.atLeast("data.sequence.season", season, 0);
            if (scale == SequenceScale.SPREAD && window < 2) {
                throw new SpecException("data.sequence.scale = spread needs a data.sequence.window of at least 2 (the "
                        + "spread is the mean change between a window's steps), got " + window);
            }
            if (season > 0 && window <= season) {
                throw new SpecException(
                        "data.sequence.season (" + season + ") needs a data.sequence.window of at least " + (season + 1)
                                + " (the seasonal naive forecast reads last season's change), got " + window);
            }
            if (season > 0 && season < horizon) {
                throw new SpecException("data.sequence.season (" + season + ") must be at least data.sequence.horizon ("
                        + horizon + "): the seasonal naive forecast repeats last season's change at each step");
            }
        }
    }

    /** Whether the source is long format and gets windowed. */
    public boolean enabled() {
        return !series.isEmpty();
    }
}
