package io.trainyard.evaluate;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The naive forecast a forecaster must beat: every next value equals the last one observed. Its errors are summed
 * from the minibatches themselves (the last observed value is the window's last input of the forecast column,
 * de-normalised) in the same pass that scores the model ({@link SplitPass}), so it is scored on exactly the rows the
 * model is.
 *
 * @param slot   the input slot of the forecast column's last observed step
 * @param center that input's normalisation centre
 * @param scale  its normalisation scale
 * @param target the label's scale
 */
record ForecastBaseline(int slot, double center, double scale, TargetScale target) implements Serializable {
    /** The naive forecast of {@code plan}, or null when the plan does not forecast its own history. */
    static ForecastBaseline of(FeaturePlan plan, NormalizerStats stats) {
        int input = plan.lastObservedInput();
        if (input < 0) {
            return null;
        }
        return new ForecastBaseline(
                plan.scalarInputs().get(input).offset(),
                stats.center().get(input),
                stats.scale().get(input),
                plan.target() == null ? TargetScale.of(0, 1) : plan.target());
    }

    /** Sum of |target - last observed| over a minibatch, and how many targets it has, in the label's units. */
    double[] absoluteErrors(DataSet batch) {
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
