package io.trainyard.evaluate;

import io.trainyard.data.MinibatchEncoder;
import io.trainyard.data.Reconstruction;
import io.trainyard.model.NetworkFiles;
import io.trainyard.spec.model.Loss;
import io.trainyard.train.step.DenseScorer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One look at a split on the executors: each partition rebuilds the network from broadcast bytes, scores each
 * minibatch once, and feeds that one output to everything the run wants from the split (the loss, DL4J's and
 * Trainyard's evaluations, the naive forecast's errors, the first rows for the report's pictures, each row's
 * reconstruction error). Only these partial results come back to the driver, where they merge in partition order,
 * so "the first rows" are the split's first rows.
 *
 * <p>The parameters travel as serialised bytes, not as a broadcast INDArray: Spark 3.5 closes an AutoCloseable
 * broadcast value when its cleaner collects the broadcast, which in local mode frees a live network's parameters.
 */
final class SplitPass implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What to collect beyond the loss and the evaluations.
     *
     * @param sampleRows     how many of the split's first rows to keep (labels, outputs and inputs, in model units)
     * @param baseline       the naive forecast to score beside the model; null when there is none
     * @param reconstruction an autoencoder's rows: the inputs are the targets, each row's error is kept; null otherwise
     * @param spread         a spread-free forecast's conversion of each minibatch after scoring; null otherwise
     */
    record Collect(int sampleRows, ForecastBaseline baseline, Reconstructed reconstruction, SpreadUnits spread)
            implements Serializable {
        static final Collect NOTHING = new Collect(0, null, null, null);

        /** The loss and the evaluations only, of a split of {@code plan}'s minibatches. */
        static Collect metrics(io.trainyard.data.features.FeaturePlan plan) {
            return new Collect(0, null, null, SpreadUnits.of(plan, null));
        }
    }

    /**
     * An autoencoder's split as prepared (labels kept): every row is scored against its own inputs.
     *
     * @param loss        the reconstruction error's form (mean squared or absolute)
     * @param normalClass the normal class's index, or -1 when the rows are unlabelled
     */
    record Reconstructed(Loss loss, int normalClass) implements Serializable {}

    private final IEvaluation<?>[] evaluations;
    private double lossSum;
    private long rows;
    private final double[] naive = new double[3];
    private final List<double[]> actual = new ArrayList<>();
    private final List<double[]> predicted = new ArrayList<>();
    private final List<double[]> inputs = new ArrayList<>();
    private double[] errors = new double[0];
    private boolean[] anomalous = new boolean[0];

    private SplitPass(IEvaluation<?>[] evaluations) {
        this.evaluations = evaluations;
    }

    /** Runs {@code evaluations} (fresh, empty) and {@code collect} over {@code split}. */
    static SplitPass run(
            JavaSparkContext sc,
            MultiLayerNetwork network,
            JavaRDD<DataSet> split,
            IEvaluation<?>[] evaluations,
            Collect collect) {
        Broadcast<byte[]> bytes = sc.broadcast(AnomalyDetection.networkBytes(network));
        try {
            List<SplitPass> parts = split.mapPartitions((Iterator<DataSet> batches) -> {
                        MultiLayerNetwork net = read(bytes.value());
                        DenseScorer dense = DenseScorer.of(net);
                        SplitPass part = new SplitPass(evaluations);
                        while (batches.hasNext()) {
                            part.add(net, dense, batches.next(), collect);
                        }
                        return List.of(part).iterator();
                    })
                    .collect();
            SplitPass all = new SplitPass(evaluations);
            for (SplitPass part : parts) {
                all.merge(part, collect.sampleRows());
            }
            return all;
        } finally {
            bytes.destroy(false);
        }
    }

    private static MultiLayerNetwork read(byte[] network) {
        try {
            return NetworkFiles.read(new ByteArrayInputStream(network), false, "network");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scores one minibatch: with {@code dense} (a dense network's one-pass scorer) where it applies, else DL4J. */
    private void add(MultiLayerNetwork net, DenseScorer dense, DataSet batch, Collect collect) {
        INDArray features = batch.getFeatures();
        Reconstructed rec = collect.reconstruction();
        // An autoencoder's split keeps its class labels for detection; the network's targets are its inputs.
        DataSet scored = rec == null ? batch : new DataSet(features, features);
        DenseScorer.Scored s = DenseScorer.score(dense, net, scored);
        INDArray out = s.output();
        int n = scored.numExamples();
        lossSum += s.loss() * n;
        rows += n;
        double[] spreads = collect.spread() == null ? null : MinibatchEncoder.spreads(batch);
        if (spreads != null) {
            // Everything below reads the minibatch in a level-free forecast's units (the loss above stays the model's).
            out = collect.spread().targets(out, spreads);
            batch = collect.spread().batch(batch, spreads);
            scored = batch;
            features = batch.getFeatures();
        }
        for (IEvaluation<?> e : evaluations) {
            e.eval(scored.getLabels(), out, scored.getLabelsMaskArray());
        }
        if (collect.baseline() != null) {
            double[] e = collect.baseline().absoluteErrors(batch);
            for (int i = 0; i < naive.length; i++) {
                naive[i] += e[i];
            }
        }
        if (actual.size() < collect.sampleRows()) {
            keepFirst(scored.getLabels(), out, features, collect.sampleRows());
        }
        if (rec != null) {
            addErrors(batch, out, rec);
        }
    }

    private void keepFirst(INDArray labels, INDArray out, INDArray features, int limit) {
        double[][] y = matrix(labels);
        double[][] p = matrix(out);
        double[][] x = matrix(features);
        for (int r = 0; r < y.length && actual.size() < limit; r++) {
            actual.add(y[r]);
            predicted.add(p[r]);
            inputs.add(x[r]);
        }
    }

    private static double[][] matrix(INDArray values) {
        return values.castTo(DataType.DOUBLE).reshape(values.size(0), -1).toDoubleMatrix();
    }

    private void addErrors(DataSet batch, INDArray out, Reconstructed rec) {
        double[] scores = AnomalyDetection.rowErrors(out, batch.getFeatures(), rec.loss());
        int from = errors.length;
        errors = java.util.Arrays.copyOf(errors, from + scores.length);
        anomalous = java.util.Arrays.copyOf(anomalous, from + scores.length);
        for (int r = 0; r < scores.length; r++) {
            errors[from + r] = scores[r];
            anomalous[from + r] =
                    rec.normalClass() >= 0 && Reconstruction.classOf(batch.getLabels(), r) != rec.normalClass();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void merge(SplitPass part, int sampleRows) {
        for (int i = 0; i < evaluations.length; i++) {
            ((IEvaluation) evaluations[i]).merge(part.evaluations[i]);
        }
        lossSum += part.lossSum;
        rows += part.rows;
        for (int i = 0; i < naive.length; i++) {
            naive[i] += part.naive[i];
        }
        for (int r = 0; r < part.actual.size() && actual.size() < sampleRows; r++) {
            actual.add(part.actual.get(r));
            predicted.add(part.predicted.get(r));
            inputs.add(part.inputs.get(r));
        }
        int from = errors.length;
        errors = java.util.Arrays.copyOf(errors, from + part.errors.length);
        anomalous = java.util.Arrays.copyOf(anomalous, from + part.anomalous.length);
        System.arraycopy(part.errors, 0, errors, from, part.errors.length);
        System.arraycopy(part.anomalous, 0, anomalous, from, part.anomalous.length);
    }

    IEvaluation<?>[] evaluations() {
        return evaluations;
    }

    /** The mean loss per row, regularisation included, as DL4J scores a minibatch. */
    double loss() {
        return rows == 0 ? Double.NaN : lossSum / rows;
    }

    /** Repeating the last value's mean absolute error, in the label's units; null when it scored nothing. */
    Double naiveMae() {
        return naive[2] == 0 ? null : naive[0] / naive[2];
    }

    /** The seasonal naive forecast's mean absolute error; null without a season. */
    Double seasonalNaiveMae(ForecastBaseline baseline) {
        return naive[2] == 0 || baseline == null || baseline.season() == 0 ? null : naive[1] / naive[2];
    }

    /** The first rows' labels, outputs and inputs, in model units (rows x width). */
    List<double[]> actual() {
        return actual;
    }

    List<double[]> predicted() {
        return predicted;
    }

    List<double[]> inputs() {
        return inputs;
    }

    /** Each row's reconstruction error, in split order. */
    double[] errors() {
        return errors;
    }

    /** Whether each row is of a class other than the normal one. */
    boolean[] anomalous() {
        return anomalous;
    }
}
