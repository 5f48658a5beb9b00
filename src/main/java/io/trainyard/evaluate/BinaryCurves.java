package io.trainyard.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * A binary model's ROC and precision-recall curves, from its positive-class probabilities binned by class
 * ({@link PositiveScores}): one point per bin edge, rows in that bin and above called positive, from the top edge down.
 * Points closer than {@link #STEP} to the last kept one in both coordinates are dropped, so a page draws a few hundred
 * points, not ten thousand; the first and last are always kept.
 *
 * @param falsePositiveRate the ROC curve's x, from 0 to 1
 * @param truePositiveRate  its y, which is also the precision-recall curve's x (recall)
 * @param precision         the precision-recall curve's y; where nothing is called positive yet, 1
 */
public record BinaryCurves(double[] falsePositiveRate, double[] truePositiveRate, double[] precision) {
    static final double STEP = 0.004;

    public static BinaryCurves of(long[] positives, long[] negatives) {
        long allPositives = sum(positives);
        long allNegatives = sum(negatives);
        List<double[]> points = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        points.add(new double[] {0, 0, 1});
        for (int i = positives.length - 1; i >= 0; i--) {
            tp += positives[i];
            fp += negatives[i];
            double[] point = {
                allNegatives == 0 ? 0 : (double) fp / allNegatives,
                allPositives == 0 ? 0 : (double) tp / allPositives,
                tp + fp == 0 ? 1 : (double) tp / (tp + fp)
            };
            double[] last = points.get(points.size() - 1);
            if (i == 0 || Math.abs(point[0] - last[0]) >= STEP || Math.abs(point[1] - last[1]) >= STEP) {
                points.add(point);
            }
        }
        return new BinaryCurves(column(points, 0), column(points, 1), column(points, 2));
    }

    public static BinaryCurves of(PositiveScores scores) {
        return of(scores.positives(), scores.negatives());
    }

    /** The area under the ROC curve by the trapezoid rule (rows sharing a bin count half, as ties do). */
    public double rocArea() {
        double area = 0;
        for (int i = 1; i < falsePositiveRate.length; i++) {
            area += (falsePositiveRate[i] - falsePositiveRate[i - 1])
                    * (truePositiveRate[i] + truePositiveRate[i - 1])
                    / 2;
        }
        return area;
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    private static double[] column(List<double[]> points, int c) {
        return points.stream().mapToDouble(p -> p[c]).toArray();
    }
}
