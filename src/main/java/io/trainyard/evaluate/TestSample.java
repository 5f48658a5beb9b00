package io.trainyard.evaluate;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A regression model's predictions next to the actual labels on the first rows of a split, in the label's own units
 * (a forecast: one column per step of the horizon). For pictures of residuals and forecasts, kept by the same pass
 * over the test split that computes its metrics ({@link Evaluator#test}).
 *
 * @param actual    rows x targets
 * @param predicted the same shape
 * @param history   a forecast of its own history: each row's window of that history, de-normalised (rows x window);
 *                  null otherwise
 */
public record TestSample(double[][] actual, double[][] predicted, double[][] history) {
    /** Rows a report draws: enough for a residual picture, few enough to hold in the driver. */
    public static final int ROWS = 600;

    /**
     * The sample of a split's first rows as {@link SplitPass} kept them in model units (labels, outputs, inputs):
     * labels and outputs in the label's own units, a forecast's history de-normalised.
     */
    static TestSample of(
            List<double[]> labels,
            List<double[]> outputs,
            List<double[]> inputs,
            FeaturePlan plan,
            NormalizerStats stats) {
        HistorySlots slots = HistorySlots.of(plan, stats);
        List<double[]> history = new ArrayList<>();
        for (double[] x : slots == null ? List.<double[]>of() : inputs) {
            double[] steps = new double[slots.steps()];
            for (int s = 0; s < steps.length; s++) {
                steps[s] = slots.original(x[slots.slots()[s]], s);
            }
            history.add(steps);
        }
        return new TestSample(
                originalUnits(labels, plan),
                originalUnits(outputs, plan),
                slots == null ? null : history.toArray(double[][]::new));
    }

    /** The first {@code rows} rows of a sample. */
    public static TestSample first(TestSample sample, int rows) {
        int n = Math.min(rows, sample.actual().length);
        return new TestSample(
                java.util.Arrays.copyOf(sample.actual(), n),
                java.util.Arrays.copyOf(sample.predicted(), n),
                sample.history() == null ? null : java.util.Arrays.copyOf(sample.history(), n));
    }

    /** One target's column (a forecast's step {@code target + 1}). */
    public static double[] column(double[][] values, int target) {
        double[] out = new double[values.length];
        for (int r = 0; r < values.length; r++) {
            out[r] = values[r][target];
        }
        return out;
    }

    /**
     * A split's first minibatches holding at least {@code rows} rows, or all of them: the number taken doubles until
     * enough rows came back (minibatch sizes are the spec's), so a few jobs read only the start of the split.
     */
    public static List<DataSet> firstMinibatches(JavaRDD<DataSet> split, int rows) {
        int minibatches = 1;
        List<DataSet> taken = split.take(minibatches);
        while (rows(taken) < rows && taken.size() == minibatches) {
            minibatches *= 2;
            taken = split.take(minibatches);
        }
        return taken;
    }

    private static int rows(List<DataSet> taken) {
        return taken.stream().mapToInt(DataSet::numExamples).sum();
    }

    private static double[][] originalUnits(List<double[]> rows, FeaturePlan plan) {
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r).clone();
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = plan.originalUnits(out[r][c]);
            }
        }
        return out;
    }
}
