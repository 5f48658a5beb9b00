package io.trainyard.data;

import io.trainyard.spec.Task;
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
 */
public record FeaturePlan(Task task, String label, ColumnKind labelKind, List<SelectedFeature> features,
                          List<String> id, List<ModelInput> inputs, List<String> classes, int inputWidth)
        implements java.io.Serializable {
    public FeaturePlan {
        features = List.copyOf(features);
        id = List.copyOf(id);
        inputs = List.copyOf(inputs);
        classes = List.copyOf(classes);
    }

    /** Output width when one column holds a binary label (sigmoid) and one-hot otherwise. */
    public int labelWidth(boolean binaryAsOneColumn) {
        if (task == Task.REGRESSION) {
            return 1;
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
