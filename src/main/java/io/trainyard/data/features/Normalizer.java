package io.trainyard.data.features;

import io.trainyard.spec.data.NormalizeMethod;
import java.util.ArrayList;
import java.util.List;

/** Fits {@link NormalizerStats} from train-split moments. Pure maths: no Spark. */
public final class Normalizer {
    /** A spread below this is treated as constant: the column maps to 0 instead of dividing by ~0. */
    static final double MIN_SCALE = 1e-12;

    private Normalizer() {}

    /**
     * @param imputed whether nulls will be filled with the mean (which narrows the spread of the filled column)
     */
    public static NormalizerStats fit(NormalizeMethod method, List<ColumnMoments> moments, boolean imputed) {
        List<String> names = new ArrayList<>();
        List<Double> center = new ArrayList<>();
        List<Double> scale = new ArrayList<>();
        for (ColumnMoments m : moments) {
            names.add(m.name());
            switch (method) {
                case STANDARD -> {
                    double variance = imputed ? m.varianceAfterMeanImputation() : m.varPop();
                    center.add(m.mean());
                    scale.add(safeScale(Math.sqrt(Math.max(0, variance))));
                }
                case MINMAX -> {
                    center.add(m.min());
                    scale.add(safeScale(m.max() - m.min()));
                }
                case NONE -> {
                    center.add(0.0);
                    scale.add(1.0);
                }
                default -> throw new IllegalStateException("unhandled " + method);
            }
        }
        return new NormalizerStats(method, names, center, scale);
    }

    private static double safeScale(double spread) {
        return Double.isFinite(spread) && spread > MIN_SCALE ? spread : 1.0;
    }
}
