package io.trainyard.evaluate;

import java.io.Serializable;
import java.util.List;
import org.nd4j.evaluation.BaseEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A binary model's positive-class probabilities, counted in {@link #BINS} equal bins separately for positive and
 * negative rows: a few hundred kilobytes from each executor, from which every threshold's confusion matrix follows
 * (see {@link DecisionThresholds}). One output column is the positive probability (sigmoid); with two (softmax) the
 * second is.
 */
public final class PositiveScores extends BaseEvaluation<PositiveScores> {
    public static final int BINS = 10_000;
    private long[] positives = new long[BINS];
    private long[] negatives = new long[BINS];

    /** Counts of positive rows per bin; bin {@code i} holds probabilities in {@code [i / BINS, (i + 1) / BINS)}. */
    public long[] positives() {
        return positives.clone();
    }

    public long[] negatives() {
        return negatives.clone();
    }

    /** The bin of a probability; 1.0 falls in the last. */
    public static int bin(double probability) {
        return Math.max(0, Math.min(BINS - 1, (int) (probability * BINS)));
    }

    @Override
    public void eval(INDArray labels, INDArray predictions, INDArray mask, List<? extends Serializable> metadata) {
        int column = (int) predictions.size(1) - 1;
        double[] p = predictions.getColumn(column).toDoubleVector();
        double[] y = labels.getColumn(column).toDoubleVector();
        double[] m = mask == null ? null : mask.reshape(mask.length()).toDoubleVector();
        for (int r = 0; r < p.length; r++) {
            if (m != null && m[r] == 0) {
                continue;
            }
            (y[r] > 0.5 ? positives : negatives)[bin(p[r])]++;
        }
    }

    @Override
    public void merge(PositiveScores other) {
        for (int i = 0; i < BINS; i++) {
            positives[i] += other.positives[i];
            negatives[i] += other.negatives[i];
        }
    }

    @Override
    public void reset() {
        positives = new long[BINS];
        negatives = new long[BINS];
    }

    @Override
    public String stats() {
        return "positive-class probabilities in " + BINS + " bins";
    }

    @Override
    public double getValue(IMetric metric) {
        throw new UnsupportedOperationException("PositiveScores holds histograms, not a metric");
    }

    @Override
    public PositiveScores newInstance() {
        return new PositiveScores();
    }
}
