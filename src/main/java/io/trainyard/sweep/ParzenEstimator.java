package io.trainyard.sweep;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * A density over one real interval from a handful of points, as TPE builds it (Bergstra et al. 2011, hyperopt's
 * adaptive Parzen estimator): an equal-weight mixture of one normal per point, truncated to the interval, plus a wide
 * prior normal at the interval's centre so that no region has zero density. Each point's width is the larger gap to
 * its neighbours (the interval's ends counting as neighbours), clipped to between a hundredth of the interval (or
 * less, the fewer the points) and the whole interval.
 */
final class ParzenEstimator {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private final double lo;
    private final double hi;
    private final double[] mus;
    private final double[] sigmas;
    /** Each component's probability mass inside the interval, which its density is divided by. */
    private final double[] masses;

    ParzenEstimator(double[] points, double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
        int n = points.length;
        double range = hi - lo;
        mus = java.util.Arrays.copyOf(points, n + 1);
        mus[n] = lo + range / 2;
        // Widths from the gaps between neighbours, the prior's centre among them; the first and last point take the
        // gap on their inner side (Optuna's consider_endpoints = false).
        Integer[] order = new Integer[n + 1];
        for (int i = 0; i <= n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        sigmas = new double[n + 1];
        double minSigma = range / Math.min(100.0, n + 2.0);
        for (int r = 0; r <= n; r++) {
            double left = (r == 0 ? mus[order[r]] - lo : mus[order[r]] - mus[order[r - 1]]);
            double right = (r == n ? hi - mus[order[r]] : mus[order[r + 1]] - mus[order[r]]);
            double width = Math.max(left, right);
            if (n >= 1 && r == 0) {
                width = right;
            } else if (n >= 1 && r == n) {
                width = left;
            }
            sigmas[order[r]] = Math.min(range, Math.max(minSigma, width));
        }
        sigmas[n] = range;
        masses = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            masses[i] = Math.max(1e-12, cdf((hi - mus[i]) / sigmas[i]) - cdf((lo - mus[i]) / sigmas[i]));
        }
    }

    /** A draw: a component chosen uniformly, then its normal until a value falls inside the interval. */
    double sample(SplittableRandom random) {
        int k = random.nextInt(mus.length);
        for (int attempt = 0; attempt < 100; attempt++) {
            double x = mus[k] + sigmas[k] * random.nextGaussian();
            if (x >= lo && x <= hi) {
                return x;
            }
        }
        // Only a component far outside the interval gets here; its mass inside is tiny.
        return lo + (hi - lo) * random.nextDouble();
    }

    /** The log of the mixture's density at {@code x}, summed in log space so that far tails do not underflow. */
    double logDensity(double x) {
        double[] terms = new double[mus.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            terms[i] = -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigmas[i]) - Math.log(masses[i]);
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum / mus.length);
    }

    private static double cdf(double z) {
        return 0.5 * (1 + Erf.erf(z / Math.sqrt(2)));
    }
}
