package io.trainyard.evaluate;

/**
 * Chooses a binary model's decision threshold from its validation scores ({@link PositiveScores}): the bin edge
 * {@code i / BINS} that maximises the positive class's F1 when rows in bin {@code i} and above are called positive.
 * Ties go to the edge nearest 0.5, so a model with nothing to gain keeps the usual threshold. The F1 here is the
 * histogram's; the reported one is evaluated again at the chosen value.
 */
public final class DecisionThresholds {
    private DecisionThresholds() {}

    /** The chosen threshold and the positive-class F1 the histogram gives it. */
    public record Choice(double threshold, double f1) {}

    public static Choice maximiseF1(long[] positives, long[] negatives) {
        int bins = positives.length;
        long allPositives = 0;
        for (long p : positives) {
            allPositives += p;
        }
        // Rows at or above edge i, built from the top down.
        long truePositives = 0;
        long falsePositives = 0;
        int best = bins / 2;
        double bestF1 = -1;
        for (int i = bins - 1; i >= 1; i--) {
            truePositives += positives[i];
            falsePositives += negatives[i];
            long falseNegatives = allPositives - truePositives;
            long denominator = 2 * truePositives + falsePositives + falseNegatives;
            double f1 = denominator == 0 ? 0 : 2.0 * truePositives / denominator;
            if (f1 > bestF1 || (f1 == bestF1 && Math.abs(i - bins / 2) < Math.abs(best - bins / 2))) {
                best = i;
                bestF1 = f1;
            }
        }
        return new Choice((double) best / bins, Math.max(0, bestF1));
    }
}
