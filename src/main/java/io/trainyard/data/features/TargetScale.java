package io.trainyard.data.features;

import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/**
 * How a regression label is standardised for training, {@code y' = (y - center) / scale}, fitted on the train split.
 * A network learns a label near zero far faster than one in the hundreds (it would spend its epochs climbing to the
 * level); predictions and metrics are turned back into the label's own units.
 */
public record TargetScale(double center, double scale) implements java.io.Serializable {
    /** Spreads below this are treated as none (a constant label): the label is only shifted. */
    static final double MIN_SCALE = 1e-12;

    public TargetScale {
        if (!Double.isFinite(center) || !Double.isFinite(scale) || scale <= 0) {
            throw new IllegalArgumentException(
                    "a target scale needs a finite center and a positive scale, got " + center + " and " + scale);
        }
    }

    /** From a mean and a standard deviation, a spread of (almost) zero taken as one. */
    public static TargetScale of(double mean, double deviation) {
        return new TargetScale(mean, Double.isFinite(deviation) && deviation > MIN_SCALE ? deviation : 1.0);
    }

    /** The standardised label as Spark computes it for the minibatches. */
    public Column scaled(Column label) {
        return label.minus(lit(center)).divide(lit(scale));
    }

    /** A network output back in the label's units. */
    public double original(double scaled) {
        return scaled * scale + center;
    }
}
