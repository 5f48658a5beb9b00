package io.trainyard.gan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Maximum mean discrepancy between two samples of rows with a Gaussian kernel: 0 when they come from one
 * distribution (up to sampling noise), larger the more they differ. The unbiased estimate of MMD^2 (Gretton et al.
 * 2012). Plain Java; O(n^2) in the sample sizes, so it is used on samples of a few thousand rows.
 */
public final class Mmd {
    private Mmd() {}

    /** The kernel width by the median heuristic: the median distance between rows of {@code rows}. */
    public static double medianDistance(double[][] rows) {
        List<Double> d = new ArrayList<>();
        int n = Math.min(rows.length, 1000);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d.add(Math.sqrt(squaredDistance(rows[i], rows[j])));
            }
        }
        Collections.sort(d);
        return d.isEmpty() ? 1 : Math.max(d.get(d.size() / 2), 1e-12);
    }

    /**
     * MMD^2 with the sum of Gaussian kernels of widths {@code median}/4, /2 and 1: the wide kernel sees where the mass
     * is, the narrow ones whether each mode has the right spread.
     */
    public static double multiScale(double[][] a, double[][] b, double median) {
        return squared(a, b, median / 4) + squared(a, b, median / 2) + squared(a, b, median);
    }

    /** Unbiased MMD^2 of samples {@code a} and {@code b} with kernel exp(-|x - y|^2 / (2 width^2)). */
    public static double squared(double[][] a, double[][] b, double width) {
        double gamma = 1 / (2 * width * width);
        return mean(a, a, gamma, true) + mean(b, b, gamma, true) - 2 * mean(a, b, gamma, false);
    }

    private static double mean(double[][] x, double[][] y, double gamma, boolean same) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = same ? i + 1 : 0; j < y.length; j++) {
                sum += Math.exp(-gamma * squaredDistance(x[i], y[j]));
                pairs++;
            }
        }
        return pairs == 0 ? 0 : sum / pairs;
    }

    private static double squaredDistance(double[] x, double[] y) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            double d = x[k] - y[k];
            s += d * d;
        }
        return s;
    }
}
