package io.trainyard.evaluate;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A regression model's predictions next to the actual labels on the first rows of a split, in the label's own units
 * (a forecast: one column per step of the horizon). For pictures of residuals and forecasts; the metrics are computed
 * over the whole split elsewhere.
 *
 * @param actual    rows x targets
 * @param predicted the same shape
 * @param history   a forecast of its own history: each row's window of that history, de-normalised (rows x window);
 *                  null otherwise
 */
public record TestSample(double[][] actual, double[][] predicted, double[][] history) {
    /** Up to {@code rows} rows of {@code split}'s first minibatches, predicted by {@code network} in this JVM. */
    public static TestSample of(
            MultiLayerNetwork network, JavaRDD<DataSet> split, FeaturePlan plan, NormalizerStats stats, int rows) {
        List<double[]> actual = new ArrayList<>();
        List<double[]> predicted = new ArrayList<>();
        List<double[]> history = new ArrayList<>();
        for (DataSet ds : firstMinibatches(split, rows)) {
            INDArray out = network.output(ds.getFeatures());
            addRows(actual, ds.getLabels(), plan, rows);
            addRows(predicted, out, plan, rows);
            addHistory(history, ds.getFeatures(), plan, stats, rows);
        }
        return new TestSample(
                actual.toArray(double[][]::new),
                predicted.toArray(double[][]::new),
                plan.lastObservedInput() < 0 ? null : history.toArray(double[][]::new));
    }

    /**
     * The forecast column's window in each row, de-normalised: its steps are the inputs at slots
     * {@code target * window + step} (see {@link FeaturePlan#lastObservedInput()}), each with its own statistics.
     */
    private static void addHistory(
            List<double[]> into, INDArray features, FeaturePlan plan, NormalizerStats stats, int limit) {
        int last = plan.lastObservedInput();
        if (last < 0) {
            return;
        }
        int window = plan.windows().sequence().window();
        List<ModelInput> scalars = plan.scalarInputs();
        int firstSlot = scalars.get(last).offset() - (window - 1);
        int[] inputs = new int[window];
        for (int i = 0; i < scalars.size(); i++) {
            int step = scalars.get(i).offset() - firstSlot;
            if (step >= 0 && step < window) {
                inputs[step] = i;
            }
        }
        double[][] x =
                features.castTo(DataType.DOUBLE).reshape(features.size(0), -1).toDoubleMatrix();
        for (double[] row : x) {
            if (into.size() == limit) {
                return;
            }
            double[] steps = new double[window];
            for (int s = 0; s < window; s++) {
                int input = inputs[s];
                steps[s] = row[scalars.get(input).offset()] * stats.scale().get(input)
                        + stats.center().get(input);
            }
            into.add(steps);
        }
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

    private static void addRows(List<double[]> into, INDArray values, FeaturePlan plan, int limit) {
        double[][] m =
                values.castTo(DataType.DOUBLE).reshape(values.size(0), -1).toDoubleMatrix();
        for (double[] r : m) {
            if (into.size() == limit) {
                return;
            }
            for (int c = 0; c < r.length; c++) {
                r[c] = plan.originalUnits(r[c]);
            }
            into.add(r);
        }
    }
}
