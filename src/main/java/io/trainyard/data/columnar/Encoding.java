package io.trainyard.data.columnar;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import java.io.Serializable;
import java.util.List;

/**
 * A row's values as the minibatches hold them, with the arithmetic of the row path's Spark columns: a scalar input
 * imputed when null, then {@code (x - center) / scale} in double and cast to float; a categorical input as its slot; a
 * class label as its index; a value label scaled by the target scale.
 */
record Encoding(
        List<String> classes,
        TargetScale target,
        double[] impute,
        double[] center,
        double[] scale,
        List<List<String>> categories,
        boolean[] imputesCategory)
        implements Serializable {

    static Encoding of(FeaturePlan plan, NormalizerStats stats) {
        List<ModelInput> scalars = plan.scalarInputs();
        double[] impute = new double[scalars.size()];
        double[] center = new double[scalars.size()];
        double[] scale = new double[scalars.size()];
        for (int i = 0; i < scalars.size(); i++) {
            Double fill = scalars.get(i).impute();
            impute[i] = fill == null ? Double.NaN : fill;
            center[i] = stats.center().get(i);
            scale[i] = stats.scale().get(i);
        }
        List<ModelInput> categoricals = plan.categoricalInputs();
        boolean[] imputesCategory = new boolean[categoricals.size()];
        for (int j = 0; j < imputesCategory.length; j++) {
            imputesCategory[j] = categoricals.get(j).imputeCategory() != null;
        }
        return new Encoding(
                plan.classes(),
                plan.target(),
                impute,
                center,
                scale,
                categoricals.stream().map(ModelInput::categories).toList(),
                imputesCategory);
    }

    float input(int i, double x) {
        double v = Double.isNaN(x) ? impute[i] : x;
        return (float) ((v - center[i]) / scale[i]);
    }

    float label(double y) {
        return target == null ? (float) y : (float) ((y - target.center()) / target.scale());
    }

    /**
     * Each categorical input's slot for each of a block's codes: its index in the vocabulary, or the "other" slot
     * after it for rare and unseen values.
     */
    int[][] categorySlots(List<List<String>> blockValues) {
        int[][] out = new int[blockValues.size()][];
        for (int j = 0; j < out.length; j++) {
            List<String> vocabulary = categories.get(j);
            // A block may hold up to RowBlock.MAX_CATEGORY_VALUES values: looked up, not searched for.
            java.util.Map<String, Integer> slot = new java.util.HashMap<>();
            for (int k = 0; k < vocabulary.size(); k++) {
                slot.put(vocabulary.get(k), k);
            }
            out[j] = new int[blockValues.get(j).size()];
            for (int c = 0; c < out[j].length; c++) {
                out[j][c] = slot.getOrDefault(blockValues.get(j).get(c), vocabulary.size());
            }
        }
        return out;
    }

    /** A categorical input's slot for a row's code: a null is the imputed category (the vocabulary's first) or "other". */
    int slot(int j, int[] slotOf, int code) {
        if (code >= 0) {
            return slotOf[code];
        }
        return imputesCategory[j] ? 0 : categories.get(j).size();
    }

    /** The class index of each of a block's label codes (-1 for a class the plan does not know). */
    float[] classIndices(List<String> labels) {
        float[] out = new float[labels.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = classes.indexOf(labels.get(c));
        }
        return out;
    }
}
