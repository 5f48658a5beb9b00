package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.train.EarlyStoppingSpec;
import io.trainyard.spec.train.StoppingMetric;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    @Test
    void keepsTheBestEpochAndStopsAfterPatience() {
        EarlyStopping s = new EarlyStopping(new EarlyStoppingSpec(2, 0.0, StoppingMetric.AUTO));
        assertTrue(s.record(1, 0.9));
        assertTrue(s.record(2, 0.7));
        assertFalse(s.record(3, 0.8));
        assertFalse(s.shouldStop());
        assertFalse(s.record(4, 0.75));
        assertTrue(s.shouldStop());
        assertEquals(2, s.bestEpoch());
        assertEquals(0.7, s.best());
    }

    @Test
    void higherIsBetterForAccuracyAndMinDeltaCounts() {
        EarlyStopping s = new EarlyStopping(new EarlyStoppingSpec(1, 0.01, StoppingMetric.ACCURACY));
        assertTrue(s.record(1, 0.80));
        assertFalse(s.record(2, 0.805));
        assertTrue(s.shouldStop());
        assertEquals(1, s.bestEpoch());
    }

    @Test
    void patienceZeroNeverStops() {
        EarlyStopping s = new EarlyStopping(new EarlyStoppingSpec(0, 0.0, StoppingMetric.LOSS));
        s.record(1, 1.0);
        for (int e = 2; e < 20; e++) {
            s.record(e, 2.0);
            assertFalse(s.shouldStop());
        }
        assertEquals(1, s.bestEpoch());
    }
}
