package io.trainyard.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AnomalyStatsTest {
    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(1, AnomalyStats.percentile(v, 0), 0);
        assertEquals(3, AnomalyStats.percentile(v, 50), 0);
        assertEquals(4.6, AnomalyStats.percentile(v, 90), 1e-12);
        assertEquals(5, AnomalyStats.percentile(v, 100), 0);
    }

    @Test
    void aucCountsPairsAndHalvesTies() {
        boolean[] anomaly = {false, false, true, true};
        assertEquals(1.0, AnomalyStats.rocAuc(new double[] {0.1, 0.2, 0.8, 0.9}, anomaly), 0);
        assertEquals(0.0, AnomalyStats.rocAuc(new double[] {0.8, 0.9, 0.1, 0.2}, anomaly), 0);
        // Pairs (normal, anomaly): (0.1,0.5) win, (0.1,0.9) win, (0.5,0.5) tie, (0.5,0.9) win -> 3.5 / 4.
        assertEquals(0.875, AnomalyStats.rocAuc(new double[] {0.1, 0.5, 0.5, 0.9}, anomaly), 1e-12);
        assertEquals(Double.NaN, AnomalyStats.rocAuc(new double[] {1, 2}, new boolean[] {false, false}));
    }

    @Test
    void detectionCountsFlagsAboveTheThreshold() {
        AnomalyStats.Detection d = AnomalyStats.detection(
                new double[] {0.1, 0.6, 0.7, 0.9, 0.2}, new boolean[] {false, false, true, true, true}, 0.5);
        assertEquals(3, d.flagged());
        assertEquals(2.0 / 3, d.precision(), 1e-12);
        assertEquals(2.0 / 3, d.recall(), 1e-12);
    }
}
