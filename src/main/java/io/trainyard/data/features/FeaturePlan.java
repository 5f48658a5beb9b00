package io.trainyard.data.features;

import io.trainyard.data.source.ColumnKind;
import io.trainyard.data.source.SelectedFeature;
import io.trainyard.data.source.SqlExpressions;
import io.trainyard.spec.data.Task;
import java.util.List;

/**
 * Everything needed to turn a source row into network inputs and a label, as fitted on the train split: the label
 * and feature expressions, each input's encoding and slot, and the classes. Saved as {@code data/feature-plan.json}
 * and with every model; {@code predict} applies the same plan to new data.
 *
 * @param label      the label expression
 * @param labelKind  the label's kind before encoding (decides how class names are ordered and parsed)
 * @param classes    class names in output order (classification); empty for regression
 * @param inputWidth the length of the input vector
 * @param targets    regression outputs: 1, or a forecast's horizon
 * @param windows    how long-format series were cut into windows (applied again when scoring); null when not windowed
 * @param target     how a regression label is standardised for training; null when it is not
 * @param classWeights each class's weight in the training loss, in class order, as resolved on the train split; null
 *                   when rows are not weighted
 * @param text       how the text columns become inputs (after every other input); null when there is no text
 */
public record FeaturePlan(
        Task task,
        String label,
        ColumnKind labelKind,
        List<SelectedFeature> features,
        List<String> id,
        List<ModelInput> inputs,
        List<String> classes,
        int inputWidth,
        int targets,
        WindowPlan windows,
        TargetScale target,
        List<Double> classWeights,
        TextPlan text)
        implements java.io.Serializable {

    /**
     * What windowing a scorer repeats: the spec, and the step inputs as resolved from the training source.
     *
     * @param inputs SQL expressions of a step's inputs, in array order
     * @param target forecasting: which input is the forecast column's own history (for the repeat-the-last-value
     *               baseline); -1 when none is, or the label is a class
     */
    public record WindowPlan(io.trainyard.spec.data.SequenceSpec sequence, List<String> inputs, int target)
            implements java.io.Serializable {
        public WindowPlan {
            inputs = List.copyOf(inputs);
        }

        /** Whether the forecast column and its targets are taken relative to the window's last value. */
        public boolean levelFree() {
            return target >= 0 && sequence.scale() != io.trainyard.spec.data.SequenceSpec.SequenceScale.GLOBAL;
        }

        /**
         * Whether those changes are also divided by the window's spread (the mean absolute change between its steps),
         * which every forecast is multiplied back by.
         */
        public boolean spreadFree() {
            return target >= 0 && sequence.scale() == io.trainyard.spec.data.SequenceSpec.SequenceScale.SPREAD;
        }
    }

    /**
     * The scalar input holding a forecast column's last observed value in a window (its history's last step), or
     * -1 when the plan is not a forecast over its own history.
     */
    public int lastObservedInput() {
        if (windows == null || windows.target() < 0 || task != Task.REGRESSION) {
            return -1;
        }
        int window = windows.sequence().window();
        int slot = windows.target() * window + window - 1;
        List<ModelInput> scalars = scalarInputs();
        for (int i = 0; i < scalars.size(); i++) {
            if (scalars.get(i).offset() == slot) {
                return i;
            }
        }
        return -1;
    }

    public FeaturePlan {
        targets = Math.max(1, targets);
        features = List.copyOf(features);
        id = List.copyOf(id);
        inputs = List.copyOf(inputs);
        classes = List.copyOf(classes);
        classWeights = classWeights == null ? null : List.copyOf(classWeights);
    }

    /**
     * Refuses a plan whose SQL (label, features, window inputs) is not on {@link SqlExpressions}' allow-list: a plan
     * read from a model directory is untrusted. {@code where} names the file it was read from.
     */
    public void checkExpressions(String where) {
        if (label != null) {
            SqlExpressions.parse(where + " (label)", label, null);
        }
        for (SelectedFeature f : features) {
            SqlExpressions.parse(where + " (feature '" + f.name() + "')", f.expression(), null);
        }
        if (windows != null) {
            for (String input : windows.inputs()) {
                SqlExpressions.parse(where + " (window input)", input, null);
            }
        }
    }

    /** The same plan with the label standardised by {@code scale}. */
    public FeaturePlan withTarget(TargetScale scale) {
        return new FeaturePlan(
                task,
                label,
                labelKind,
                features,
                id,
                inputs,
                classes,
                inputWidth,
                targets,
                windows,
                scale,
                classWeights,
                text);
    }

    /** The same plan carrying other id columns through scoring. */
    public FeaturePlan withId(List<String> ids) {
        return new FeaturePlan(
                task,
                label,
                labelKind,
                features,
                ids,
                inputs,
                classes,
                inputWidth,
                targets,
                windows,
                target,
                classWeights,
                text);
    }

    /** The same plan with each class's rows weighted by {@code weights} (class order) in the training loss. */
    public FeaturePlan withClassWeights(List<Double> weights) {
        return new FeaturePlan(
                task,
                label,
                labelKind,
                features,
                id,
                inputs,
                classes,
                inputWidth,
                targets,
                windows,
                target,
                weights,
                text);
    }

    /** The same plan with {@code fitted} text after its other inputs (the input vector widened by its slots). */
    public FeaturePlan withText(TextPlan fitted) {
        return new FeaturePlan(
                task,
                label,
                labelKind,
                features,
                id,
                inputs,
                classes,
                fitted.offset() + fitted.width(),
                targets,
                windows,
                target,
                classWeights,
                fitted);
    }

    /** Whether the input is a token-id sequence (an embedding's) rather than a vector of values. */
    public boolean tokenSequence() {
        return text != null && text.layout() == TextPlan.Layout.SEQUENCE;
    }

    /** A network output (a standardised label when {@link #target} is set) in the label's own units. */
    public double originalUnits(double output) {
        return target == null ? output : target.original(output);
    }

    /** Output width when one column holds a binary label (sigmoid) and one-hot otherwise. */
    public int labelWidth(boolean binaryAsOneColumn) {
        if (task == Task.REGRESSION) {
            return targets;
        }
        return classes.size() == 2 && binaryAsOneColumn ? 1 : classes.size();
    }

    public List<ModelInput> scalarInputs() {
        return inputs.stream().filter(i -> !i.categorical()).toList();
    }

    public List<ModelInput> categoricalInputs() {
        return inputs.stream().filter(ModelInput::categorical).toList();
    }
}
