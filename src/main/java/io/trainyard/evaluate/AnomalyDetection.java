package io.trainyard.evaluate;

import io.trainyard.data.Reconstruction;
import io.trainyard.spec.model.Loss;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An autoencoder as an anomaly detector: a row's score is its reconstruction error (mean squared or absolute, as
 * the model's loss), the threshold is a percentile of the validation split's scores (its normal rows, when labelled),
 * and with labels the test split reports ROC AUC and the precision and recall of the rows above the threshold.
 * Scores are computed on the executors ({@link SplitPass}); one double per validation and test row comes back.
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
        return rowErrors(net.output(x), x, loss);
    }

    /** As {@link #rowErrors(MultiLayerNetwork, INDArray, Loss)}, from the network's output {@code out} for {@code x}. */
    static double[] rowErrors(INDArray out, INDArray x, Loss loss) {
        INDArray diff = out.sub(x);
        INDArray per = (loss == Loss.MAE ? Transforms.abs(diff, false) : diff.muli(diff)).mean(1);
        return per.toDoubleVector();
    }

    /**
     * The threshold from the validation split's errors (its normal rows, when labelled) and, with labels, the test
     * split's detection from the errors its one pass kept ({@link Evaluator#test}).
     *
     * @param testErrors    each test row's reconstruction error
     * @param testAnomalous whether each test row is of a class other than the normal one
     */
    static Evaluated evaluate(
            JavaSparkContext sc,
            MultiLayerNetwork net,
            Reconstruction rec,
            Loss loss,
            double[] testErrors,
            boolean[] testAnomalous) {
        SplitPass validation = SplitPass.run(
                sc,
                net,
                rec.labelledValidation(),
                new IEvaluation<?>[0],
                new SplitPass.Collect(0, null, new SplitPass.Reconstructed(loss, rec.normalClass()), null));
        double[] normal =
                rec.normalClass() < 0 ? validation.errors() : where(validation.errors(), validation.anomalous(), false);
        double threshold = AnomalyStats.percentile(normal, rec.thresholdPercentile());
        AnomalyModel model = new AnomalyModel(
                threshold,
                rec.thresholdPercentile(),
                loss == Loss.MAE ? "mae" : "mse",
                rec.codeLayer(),
                rec.normalName());
        if (rec.normalClass() < 0) {
            return new Evaluated(
                    new Report(model, normal.length, null),
                    new Errors("validation", validation.errors(), new double[0]));
        }
        AnomalyStats.Detection d = AnomalyStats.detection(testErrors, testAnomalous, threshold);
        long anomalies = 0;
        for (boolean a : testAnomalous) {
            anomalies += a ? 1 : 0;
        }
        TestDetection test = new TestDetection(
                testErrors.length,
                anomalies,
                AnomalyStats.rocAuc(testErrors, testAnomalous),
                d.flagged(),
                d.precision(),
                d.recall());
        return new Evaluated(
                new Report(model, normal.length, test),
                new Errors("test", where(testErrors, testAnomalous, false), where(testErrors, testAnomalous, true)));
    }

    private static double[] where(double[] scores, boolean[] anomaly, boolean anomalous) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (anomaly[i] == anomalous) {
                out.add(scores[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
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
