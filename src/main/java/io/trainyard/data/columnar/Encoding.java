package io.trainyard.data.columnar;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import java.io.Serializable;
import java.util.List;

/**
 * A row's values as the minibatches hold them, with the arithmetic of the row path's Spark columns: an input imputed
 * when null, then {@code (x - center) / scale} in double and cast to float; a class label as its index; a value label
 * scaled by the target scale.
 */
record Encoding(List<String> classes, TargetScale target, double[] impute, double[] center, double[] scale)
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
        return new Encoding(plan.classes(), plan.target(), impute, center, scale);
    }

    float input(int i, double x) {
        double v = Double.isNaN(x) ? impute[i] : x;
        return (float) ((v - center[i]) / scale[i]);
    }

    float label(double y) {
        return target == null ? (float) y : (float) ((y - target.center()) / target.scale());
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
