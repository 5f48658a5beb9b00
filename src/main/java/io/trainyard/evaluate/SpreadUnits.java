package io.trainyard.evaluate;

import io.trainyard.data.MinibatchEncoder;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A spread-free forecast's minibatch in the units of a level-free one: each row's targets, outputs and forecast-column
 * window multiplied back by that row's window spread ({@link MinibatchEncoder#spreads}), and re-expressed in the
 * model's standardised units, {@code v' = ((v * scale + center) * spread - center) / scale}. Every metric, the naive
 * forecasts and the report's sample then read a minibatch as they read any level-free one: an error of {@code e} model
 * units on a row becomes {@code e * spread}, in the label's units once the usual scale is applied.
 *
 * @param target  the label's standardisation (identity when the label is not standardised)
 * @param history the forecast column's window among the inputs; null when only labels and outputs are converted
 */
record SpreadUnits(TargetScale target, HistorySlots history) implements Serializable {
    /** The conversion of {@code plan}'s minibatches, or null when they carry no spread; the window's when stats given. */
    static SpreadUnits of(FeaturePlan plan, NormalizerStats stats) {
        if (!MinibatchEncoder.carriesSpread(plan)) {
            return null;
        }
        return new SpreadUnits(
                plan.target() == null ? TargetScale.of(0, 1) : plan.target(),
                stats == null ? null : HistorySlots.of(plan, stats));
    }

    /** {@code values} (rows x targets, model units) with each row's spread applied; a copy. */
    INDArray targets(INDArray values, double[] spreads) {
        double[][] v = values.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int r = 0; r < v.length; r++) {
            for (int k = 0; k < v[r].length; k++) {
                v[r][k] = times(v[r][k], spreads[r], target.center(), target.scale());
            }
        }
        return org.nd4j.linalg.factory.Nd4j.create(v).castTo(values.dataType());
    }

    /** {@code batch} with its labels, and its window slots when known, converted; the features otherwise shared. */
    DataSet batch(DataSet batch, double[] spreads) {
        INDArray features = batch.getFeatures();
        if (history != null) {
            features = features.dup();
            for (int r = 0; r < spreads.length; r++) {
                for (int s = 0; s < history.steps(); s++) {
                    int slot = history.slots()[s];
                    double x = features.getDouble(r, slot);
                    features.putScalar(r, slot, times(x, spreads[r], history.center()[s], history.scale()[s]));
                }
            }
        }
        return new DataSet(
                features,
                targets(batch.getLabels(), spreads),
                batch.getFeaturesMaskArray(),
                batch.getLabelsMaskArray());
    }

    private static double times(double standardised, double spread, double center, double scale) {
        return ((standardised * scale + center) * spread - center) / scale;
    }
}
