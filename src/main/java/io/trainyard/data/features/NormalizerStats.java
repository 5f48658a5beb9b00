package io.trainyard.data.features;

import io.trainyard.spec.data.NormalizeMethod;
import java.util.List;

/**
 * What the normaliser learned on the train split: for each scalar input, {@code x' = (x - center) / scale}.
 * Saved as {@code data/normalizer.json} and with every model, so scoring applies the same transform.
 */
public record NormalizerStats(NormalizeMethod method, List<String> columns, List<Double> center, List<Double> scale) {
    public NormalizerStats {
        if (columns.size() != center.size() || columns.size() != scale.size()) {
            throw new IllegalArgumentException("columns, center and scale differ in length");
        }
        columns = List.copyOf(columns);
        center = List.copyOf(center);
        scale = List.copyOf(scale);
    }

    public double apply(int column, double x) {
        return (x - center.get(column)) / scale.get(column);
    }
}
