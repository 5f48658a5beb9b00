package io.trainyard.evaluate;

import io.trainyard.data.MinibatchEncoder;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The naive forecasts a forecaster must beat, scored from the minibatches themselves on exactly the rows the model
 * is: repeating the last value, and with a season, the last value plus last season's change at that step
 * ({@code y(t) + y(t + j - s) - y(t - s)} for step {@code j}). Both read the forecast column's window, de-normalised;
 * a level-free window holds changes from its last value and its targets are changes too, so the errors are the same.
 *
 * @param history the forecast column's window among the inputs
 * @param target  the label's scale
 * @param season  steps per season; 0 = no seasonal forecast
 */
record ForecastBaseline(HistorySlots history, TargetScale target, int season) implements Serializable {
    /** The naive forecasts of {@code plan}, or null when the plan does not forecast its own history. */
    static ForecastBaseline of(FeaturePlan plan, NormalizerStats stats) {
        HistorySlots history = HistorySlots.of(plan, stats);
        if (history == null) {
            return null;
        }
        int season = plan.windows().sequence().season();
        return new ForecastBaseline(
                history,
                plan.target() == null ? TargetScale.of(0, 1) : plan.target(),
                season > 0 && season < history.steps() ? season : 0);
    }

    /**
     * Over a minibatch, in the label's units: the sum of |target - last value|, the sum of |target - seasonal naive
     * forecast| (0 without a season) and how many targets there are.
     */
    double[] absoluteErrors(DataSet batch) {
        INDArray x = batch.getFeatures();
        INDArray y = batch.getLabels();
        int w = history.steps();
        double naive = 0;
        double seasonal = 0;
        double[] window = new double[w];
        for (long r = 0; r < y.size(0); r++) {
            for (int s = 0; s < w; s++) {
                window[s] = history.original(x.getDouble(r, history.slots()[s]), s);
            }
            double last = window[w - 1];
            for (int k = 0; k < y.size(1); k++) {
                double actual = target.original(y.getDouble(r, k));
                naive += Math.abs(actual - last);
                if (season > 0) {
                    seasonal += Math.abs(actual - (last + window[w + k - season] - window[w - 1 - season]));
                }
            }
        }
        return new double[] {naive, seasonal, y.length()};
    }

    /**
     * Repeating the last value's mean absolute error over a split's windows (MASE's denominator, on train), a
     * spread-free forecast's minibatches converted by {@code spread} (null otherwise).
     */
    double naiveMae(JavaRDD<DataSet> split, SpreadUnits spread) {
        double[] sums = split.map(b -> {
                    double[] spreads = spread == null ? null : MinibatchEncoder.spreads(b);
                    return absoluteErrors(spreads == null ? b : spread.batch(b, spreads));
                })
                .fold(new double[3], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
        return sums[2] == 0 ? Double.NaN : sums[0] / sums[2];
    }
}
