package io.trainyard.spec.model;

import io.trainyard.spec.check.SpecException;
import java.util.Locale;

/**
 * {@code model.threshold}: where a binary model's positive-class probability turns into the positive class. A fixed
 * value, or {@code auto}: the value that maximises the positive class's F1 on the validation split, chosen once
 * training is done and saved with the model. The positive class is the label's second class; a row is positive when
 * its probability is above the threshold.
 *
 * @param value the fixed threshold; for {@code auto}, the one used until the choice is made (0.5)
 */
public record DecisionThreshold(boolean auto, double value) {
    public static final DecisionThreshold DEFAULT = new DecisionThreshold(false, 0.5);

    public DecisionThreshold {
        if (!(value > 0 && value < 1)) {
            throw new SpecException("model.threshold must be auto or a probability in (0, 1), got " + value);
        }
    }

    /** Reads the key: {@code auto} or a number. */
    public static DecisionThreshold parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return new DecisionThreshold(true, DEFAULT.value());
        }
        try {
            return new DecisionThreshold(false, Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw new SpecException("model.threshold must be auto or a probability in (0, 1), got '" + text + "'");
        }
    }

    /** Whether the key differs from the default, which only a binary label can use. */
    public boolean isSet() {
        return auto || value != DEFAULT.value();
    }
}
