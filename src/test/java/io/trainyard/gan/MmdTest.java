package io.trainyard.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MmdTest {
    private static double[][] gaussian(int n, double mean, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] out = new double[n][2];
        for (double[] row : out) {
            for (int k = 0; k < 2; k++) {
                double u = r.nextDouble();
                double v = r.nextDouble();
                row[k] = mean + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
            }
        }
        return out;
    }

    @Test
    void sameDistributionIsNearZeroAndAShiftIsNot() {
        double[][] a = gaussian(500, 0, 1);
        double width = Mmd.medianDistance(a);
        double same = Mmd.squared(a, gaussian(500, 0, 2), width);
        double shifted = Mmd.squared(a, gaussian(500, 1, 3), width);
        assertEquals(0, same, 0.01);
        assertTrue(shifted > 0.1, "shifted " + shifted);
        assertTrue(Mmd.squared(a, gaussian(500, 3, 4), width) > shifted);
    }

    @Test
    void identicalSamplesGiveTheUnbiasedEstimateOfZeroSpread() {
        double[][] a = {{0, 0}, {1, 0}, {0, 1}};
        // With a = b the cross term counts the diagonal (kernel 1), the within terms do not.
        double k01 = Math.exp(-0.5);
        double k12 = Math.exp(-1.0);
        double within = (k01 + k01 + k12) / 3;
        double cross = (3 + 2 * (k01 + k01 + k12)) / 9;
        assertEquals(2 * within - 2 * cross, Mmd.squared(a, a, 1), 1e-12);
    }
}
