package io.trainyard.export;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The input vector an exported graph takes, slot by slot: a scalar input's raw value (NaN when missing), or a
 * categorical input's one-hot slots (the last one for rare and unseen values). Per slot, what the graph does before
 * the network: a missing value becomes the train mean where the model imputes, then {@code (x - center) / scale}, the
 * transform Trainyard's own scoring applies. One-hot slots pass through unchanged.
 *
 * @param names  one name per slot: {@code income}, {@code segment=gold}, {@code segment=<other>}
 * @param impute per slot, the value a NaN becomes; NaN where the model does not impute (the output is then NaN)
 */
record InputVector(List<String> names, float[] impute, float[] center, float[] scale) {
    static InputVector of(FeaturePlan plan, NormalizerStats normalizer) {
        // Text slots are not part of it: a graph takes text as token ids.
        int width = plan.text() == null ? plan.inputWidth() : plan.text().offset();
        String[] names = new String[width];
        float[] impute = new float[width];
        float[] center = new float[width];
        float[] scale = new float[width];
        Arrays.fill(impute, Float.NaN);
        Arrays.fill(scale, 1f);
        List<ModelInput> scalars = plan.scalarInputs();
        for (int i = 0; i < scalars.size(); i++) {
            ModelInput in = scalars.get(i);
            names[in.offset()] = in.name();
            if (in.impute() != null) {
                impute[in.offset()] = in.impute().floatValue();
            }
            center[in.offset()] = normalizer.center().get(i).floatValue();
            scale[in.offset()] = normalizer.scale().get(i).floatValue();
        }
        for (ModelInput in : plan.categoricalInputs()) {
            for (int k = 0; k < in.width(); k++) {
                names[in.offset() + k] = in.name() + "="
                        + (k < in.categories().size() ? in.categories().get(k) : "<other>");
            }
        }
        return new InputVector(new ArrayList<>(Arrays.asList(names)), impute, center, scale);
    }

    int width() {
        return names.size();
    }

    boolean imputes() {
        for (float v : impute) {
            if (!Float.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
