package io.trainyard.sweep;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * A density over one real interval from a handful of points, as TPE builds it (Bergstra et al. 2011; Optuna's
 * univariate Parzen estimator): an equal-weight mixture of one normal per point, truncated to the interval, plus a
 * prior normal as wide as the interval at its centre, so that no region has zero density. Each point's width is the
 * larger gap to its neighbours, the prior's centre among them; the lowest and highest take the gap on their inner
 * side. Widths are clipped to between range / min(100, n + 2) and the whole range.
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
        mus = Arrays.copyOf(points, n + 1);
        mus[n] = lo + range / 2;
        // Optuna's consider_endpoints = false: the interval's ends are not neighbours.
        Integer[] order = new Integer[n + 1];
        for (int i = 0; i <= n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        sigmas = new double[n + 1];
        double minSigma = range / Math.min(100.0, n + 2.0);
        for (int r = 0; r <= n; r++) {
            double left = r == 0 ? 0 : mus[order[r]] - mus[order[r - 1]];
            double right = r == n ? 0 : mus[order[r + 1]] - mus[order[r]];
            // With no points, the prior alone: its width is set below.
            sigmas[order[r]] = Math.min(range, Math.max(minSigma, Math.max(left, right)));
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
