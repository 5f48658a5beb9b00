package io.trainyard.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryCurvesTest {
    @Test
    void fourRowsGiveTheCurvesWorkedByHand() {
        long[] positives = new long[PositiveScores.BINS];
        long[] negatives = new long[PositiveScores.BINS];
        positives[PositiveScores.bin(0.9)]++;
        positives[PositiveScores.bin(0.7)]++;
        negatives[PositiveScores.bin(0.8)]++;
        negatives[PositiveScores.bin(0.1)]++;
        BinaryCurves c = BinaryCurves.of(positives, negatives);
        // From the top: nothing called positive, then 0.9 (a hit), 0.8 (a false alarm), 0.7 (a hit), 0.1 (a false
        // alarm), and the bottom edge, where every row is called positive.
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1, 1}, c.falsePositiveRate(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1, 1}, c.truePositiveRate(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 0.5, 2.0 / 3, 0.5, 0.5}, c.precision(), 1e-12);
        // Of the four positive-negative pairs, three are ranked right.
        assertEquals(0.75, c.rocArea(), 1e-12);
    }

    @Test
    void theAreaIsThePairwiseAucWithRowsSharingABinCountedHalfAndThePointsAreFew() {
        Random random = new Random(7);
        long[] positives = new long[PositiveScores.BINS];
        long[] negatives = new long[PositiveScores.BINS];
        for (int i = 0; i < 20_000; i++) {
            boolean positive = random.nextDouble() < 0.2;
            double p = 1 / (1 + Math.exp(-(random.nextGaussian() + (positive ? 1.0 : 0.0))));
            (positive ? positives : negatives)[PositiveScores.bin(p)]++;
        }
        double pairs = 0;
        double right = 0;
        long negativesBelow = 0;
        for (int b = 0; b < PositiveScores.BINS; b++) {
            right += positives[b] * (negativesBelow + 0.5 * negatives[b]);
            negativesBelow += negatives[b];
        }
        long allPositives = java.util.Arrays.stream(positives).sum();
        pairs = (double) allPositives * negativesBelow;
        BinaryCurves c = BinaryCurves.of(positives, negatives);
        // Dropped points lie on the curve's own steps, so the area changes only by the corners skipped.
        assertEquals(right / pairs, c.rocArea(), 2e-3);
        assertTrue(c.falsePositiveRate().length < 2 / BinaryCurves.STEP + 2, c.falsePositiveRate().length + " points");
        assertEquals(1, c.falsePositiveRate()[c.falsePositiveRate().length - 1], 1e-12);
        assertEquals(1, c.truePositiveRate()[c.truePositiveRate().length - 1], 1e-12);
    }
}
