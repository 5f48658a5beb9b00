package io.trainyard.evaluate;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The naive forecast a forecaster must beat: every next value equals the last one observed. Its mean absolute error
 * over a split's windows, computed on the executors from the minibatches themselves (the last observed value is
 * the window's last input of the forecast column, de-normalised), so it is scored on exactly the rows the model is.
 */
public final class ForecastBaseline {
    private ForecastBaseline() {}

    /** The naive forecast's MAE over {@code windows}, or null when the plan does not forecast its own history. */
    public static Double repeatLastValueMae(FeaturePlan plan, NormalizerStats stats, JavaRDD<DataSet> windows) {
        int input = plan.lastObservedInput();
        if (input < 0) {
            return null;
        }
        int slot = plan.scalarInputs().get(input).offset();
        double center = stats.center().get(input);
        double scale = stats.scale().get(input);
        TargetScale target = plan.target() == null ? TargetScale.of(0, 1) : plan.target();
        double[] sums = windows.map(new AbsoluteErrors(slot, center, scale, target)::of)
                .fold(new double[2], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        return sums[1] == 0 ? null : sums[0] / sums[1];
    }

    /** Sum of |target - last observed| over a minibatch, and how many targets it has, in the label's units. */
    private record AbsoluteErrors(int slot, double center, double scale, TargetScale target) implements Serializable {
        double[] of(DataSet batch) {
            INDArray x = batch.getFeatures();
            INDArray y = batch.getLabels();
            double sum = 0;
            for (long r = 0; r < y.size(0); r++) {
                double last = x.getDouble(r, slot) * scale + center;
                for (long k = 0; k < y.size(1); k++) {
                    sum += Math.abs(target.original(y.getDouble(r, k)) - last);
                }
            }
            return new double[] {sum, y.length()};
        }
    }
}
