package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trainyard.data.TargetScale;
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
}
