package io.trainyard.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trainyard.data.features.TargetScale;
import org.junit.jupiter.api.Test;

/** A standardised label and its metrics, turned back into the label's units. */
class TargetScaleTest {
    @Test
    void outputsTurnBackIntoTheLabelsUnits() {
        TargetScale s = TargetScale.of(360.0, 12.5);
        assertEquals(360.0, s.original(0), 1e-12);
        assertEquals(385.0, s.original(2), 1e-12);
        // A constant label is only shifted.
        assertEquals(1.0, TargetScale.of(7, 0).scale());
        assertThrows(IllegalArgumentException.class, () -> new TargetScale(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new TargetScale(0, -1));
    }

    @Test
    void errorsScaleWithTheSpreadAndR2DoesNot() {
        Metrics scaled = Metrics.regression(100, 0.04, 0.04, 0.15, 0.2, 0.96);
        Metrics original = Evaluator.inOriginalUnits(scaled, TargetScale.of(1000, 100));
        assertEquals(0.04 * 100 * 100, original.mse(), 1e-9);
        assertEquals(15.0, original.mae(), 1e-9);
        assertEquals(20.0, original.rmse(), 1e-9);
        assertEquals(0.96, original.r2(), 1e-12);
        assertEquals(0.04, original.loss(), 1e-12, "the loss stays the training loss");
        assertEquals(scaled, Evaluator.inOriginalUnits(scaled, null));
    }

    @Test
    void regressionMetricsComeFromTheResidualsWithR2AroundTheLabelsMean() {
        // Labels around 1,000: DL4J's own R^2 measures the spread around zero and reads near 1 whatever the model.
        double[] labels = {900, 950, 1000, 1050, 1100, 980};
        double[] predicted = {950, 900, 1060, 1000, 1050, 1040};
        // Two partitions' evaluations merged, as Spark's evaluation merges the executors'.
        org.nd4j.evaluation.regression.RegressionEvaluation r =
                new org.nd4j.evaluation.regression.RegressionEvaluation(1);
        r.eval(
                org.nd4j.linalg.factory.Nd4j.createFromArray(java.util.Arrays.copyOfRange(labels, 0, 3))
                        .reshape(3, 1),
                org.nd4j.linalg.factory.Nd4j.createFromArray(java.util.Arrays.copyOfRange(predicted, 0, 3))
                        .reshape(3, 1));
        org.nd4j.evaluation.regression.RegressionEvaluation other =
                new org.nd4j.evaluation.regression.RegressionEvaluation(1);
        other.eval(
                org.nd4j.linalg.factory.Nd4j.createFromArray(java.util.Arrays.copyOfRange(labels, 3, 6))
                        .reshape(3, 1),
                org.nd4j.linalg.factory.Nd4j.createFromArray(java.util.Arrays.copyOfRange(predicted, 3, 6))
                        .reshape(3, 1));
        r.merge(other);
        double mean = java.util.Arrays.stream(labels).average().orElseThrow();
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < labels.length; i++) {
            sse += Math.pow(predicted[i] - labels[i], 2);
            sae += Math.abs(predicted[i] - labels[i]);
            sst += Math.pow(labels[i] - mean, 2);
        }
        Metrics m = Evaluator.fromRegression(r, 0.1);
        assertEquals(sse / 6, m.mse(), 1e-9);
        assertEquals(sae / 6, m.mae(), 1e-9);
        assertEquals(Math.sqrt(sse / 6), m.rmse(), 1e-9);
        assertEquals(1 - sse / sst, m.r2(), 1e-9);
        // DL4J's own merged R^2 is off: its merge leaves the labels' sum out (0.997 here).
        assertEquals(true, Math.abs(r.averageRSquared() - m.r2()) > 0.5, "DL4J's R^2 " + r.averageRSquared());
    }
}
