package io.trainyard.evaluate;

import java.util.Arrays;

/**
 * The arithmetic of anomaly detection, in plain Java: the threshold as a percentile of reconstruction errors, ROC
 * AUC of scores against known anomalies (the Mann-Whitney statistic, ties counted half), and precision and recall of
 * the rows a threshold flags.
 */
public final class AnomalyStats {
    private AnomalyStats() {}

    /** The {@code p}-th percentile (0-100) by linear interpolation between order statistics (numpy's default). */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    /** ROC AUC: the chance that an anomaly scores above a normal row (ties count half); NaN without both kinds. */
    public static double rocAuc(double[] scores, boolean[] anomaly) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (anomaly[order[k]]) {
                    rankSum += midRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Rows flagged (score above the threshold), and the precision and recall of the flags. */
    public record Detection(long flagged, double precision, double recall) {}

    public static Detection detection(double[] scores, boolean[] anomaly, double threshold) {
        long flagged = 0;
        long hits = 0;
        long anomalies = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flag = scores[i] > threshold;
            flagged += flag ? 1 : 0;
            hits += flag && anomaly[i] ? 1 : 0;
            anomalies += anomaly[i] ? 1 : 0;
        }
        return new Detection(
                flagged,
                flagged == 0 ? Double.NaN : (double) hits / flagged,
                anomalies == 0 ? Double.NaN : (double) hits / anomalies);
    }
}
