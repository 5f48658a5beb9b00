package io.trainyard.evaluate;

import io.trainyard.data.Reconstruction;
import io.trainyard.model.NetworkFiles;
import io.trainyard.spec.model.Loss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An autoencoder as an anomaly detector: a row's score is its reconstruction error (mean squared or absolute, as
 * the model's loss), the threshold is a percentile of the validation split's scores (its normal rows, when labelled),
 * and with labels the test split reports ROC AUC and the precision and recall of the rows above the threshold.
 * Scores are computed on the executors; one double per validation and test row comes back to the driver.
 */
public final class AnomalyDetection {
    private AnomalyDetection() {}

    /** What scoring new rows needs: saved in {@code model.json}. */
    public record AnomalyModel(double threshold, double percentile, String score, int codeLayer, String normalClass)
            implements java.io.Serializable {}

    /** Test-split detection, when the rows are labelled. */
    public record TestDetection(long rows, long anomalies, double auc, long flagged, double precision, double recall) {}

    /** The fitted threshold and, with labels, how the test split is detected. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Report(AnomalyModel model, long validationRows, TestDetection test) {}

    /**
     * Reconstruction errors for a picture: the test split's, normal and anomalous rows apart, when the rows are
     * labelled; the validation split's otherwise (all in {@code normal}).
     */
    public record Errors(String split, double[] normal, double[] anomalous) {}

    /** What {@link #evaluate} measured: the report {@code metrics.json} carries, and the errors behind it. */
    public record Evaluated(Report report, Errors errors) {}

    /** Each row's reconstruction error: the mean over inputs of the squared (mse) or absolute (mae) difference. */
    public static double[] rowErrors(MultiLayerNetwork net, INDArray x, Loss loss) {
        INDArray diff = net.output(x).subi(x);
        INDArray per = (loss == Loss.MAE ? Transforms.abs(diff, false) : diff.muli(diff)).mean(1);
        return per.toDoubleVector();
    }

    public static Evaluated evaluate(JavaSparkContext sc, MultiLayerNetwork net, Reconstruction rec, Loss loss) {
        Broadcast<byte[]> bytes = sc.broadcast(networkBytes(net));
        try {
            Scored validation = score(rec.labelledValidation(), bytes, rec.normalClass(), loss);
            double[] normal = rec.normalClass() < 0 ? validation.scores() : validation.normalScores();
            double threshold = AnomalyStats.percentile(normal, rec.thresholdPercentile());
            AnomalyModel model = new AnomalyModel(
                    threshold,
                    rec.thresholdPercentile(),
                    loss == Loss.MAE ? "mae" : "mse",
                    rec.codeLayer(),
                    rec.normalName());
            TestDetection test = null;
            Errors errors = new Errors("validation", validation.scores(), new double[0]);
            if (rec.normalClass() >= 0) {
                Scored t = score(rec.labelledTest(), bytes, rec.normalClass(), loss);
                AnomalyStats.Detection d = AnomalyStats.detection(t.scores(), t.anomaly(), threshold);
                long anomalies = 0;
                for (boolean a : t.anomaly()) {
                    anomalies += a ? 1 : 0;
                }
                test = new TestDetection(
                        t.scores().length,
                        anomalies,
                        AnomalyStats.rocAuc(t.scores(), t.anomaly()),
                        d.flagged(),
                        d.precision(),
                        d.recall());
                errors = new Errors("test", t.normalScores(), t.anomalousScores());
            }
            return new Evaluated(new Report(model, normal.length, test), errors);
        } finally {
            bytes.destroy(false);
        }
    }

    /** Scores and whether each row is an anomaly (a class other than the normal one). */
    private record Scored(double[] scores, boolean[] anomaly) {
        double[] normalScores() {
            return scoresWhere(false);
        }

        double[] anomalousScores() {
            return scoresWhere(true);
        }

        private double[] scoresWhere(boolean anomalous) {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < scores.length; i++) {
                if (anomaly[i] == anomalous) {
                    out.add(scores[i]);
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static Scored score(JavaRDD<DataSet> rows, Broadcast<byte[]> network, int normalClass, Loss loss) {
        List<double[][]> parts = rows.mapPartitions((Iterator<DataSet> batches) -> {
                    MultiLayerNetwork net =
                            NetworkFiles.read(new ByteArrayInputStream(network.value()), false, "network");
                    List<double[][]> out = new ArrayList<>();
                    while (batches.hasNext()) {
                        DataSet ds = batches.next();
                        double[] scores = rowErrors(net, ds.getFeatures(), loss);
                        double[] anomaly = new double[scores.length];
                        for (int r = 0; r < scores.length && normalClass >= 0; r++) {
                            anomaly[r] = Reconstruction.classOf(ds.getLabels(), r) != normalClass ? 1 : 0;
                        }
                        out.add(new double[][] {scores, anomaly});
                    }
                    return out.iterator();
                })
                .collect();
        int n = parts.stream().mapToInt(p -> p[0].length).sum();
        double[] scores = new double[n];
        boolean[] anomaly = new boolean[n];
        int at = 0;
        for (double[][] p : parts) {
            for (int i = 0; i < p[0].length; i++, at++) {
                scores[at] = p[0][i];
                anomaly[at] = p[1][i] > 0;
            }
        }
        return new Scored(scores, anomaly);
    }

    static byte[] networkBytes(MultiLayerNetwork net) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
