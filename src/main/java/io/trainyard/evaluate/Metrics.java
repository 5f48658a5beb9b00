package io.trainyard.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trainyard.spec.train.StoppingMetric;
import java.util.List;

/**
 * Evaluation of a model on one split. Classification fills accuracy, macro-F1 (the mean over every class, see
 * {@link ConfusionMetrics}), per-class metrics, the confusion matrix (rows: actual class, columns: predicted) and, for
 * two classes, ROC AUC and the positive class's (the second class's) precision, recall and F1 under their own names;
 * regression fills MSE, MAE, RMSE and R^2. Both carry the mean loss (with regularisation, as DL4J scores it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(
        long examples,
        double loss,
        Double accuracy,
        Double macroF1,
        Double auc,
        List<ClassMetrics> perClass,
        long[][] confusion,
        Double mse,
        Double mae,
        Double rmse,
        Double r2,
        String positiveClass,
        Double positivePrecision,
        Double positiveRecall,
        Double positiveF1) {

    public static Metrics classification(
            long examples,
            double loss,
            double accuracy,
            double macroF1,
            Double auc,
            List<ClassMetrics> perClass,
            long[][] confusion) {
        ClassMetrics positive = perClass.size() == 2 ? perClass.get(1) : null;
        return new Metrics(
                examples,
                loss,
                accuracy,
                macroF1,
                auc,
                perClass,
                confusion,
                null,
                null,
                null,
                null,
                positive == null ? null : positive.name(),
                positive == null ? null : positive.precision(),
                positive == null ? null : positive.recall(),
                positive == null ? null : positive.f1());
    }

    public static Metrics regression(long examples, double loss, double mse, double mae, double rmse, double r2) {
        return new Metrics(examples, loss, null, null, null, null, null, mse, mae, rmse, r2, null, null, null, null);
    }

    /** The value of a stopping metric; {@code auto} and {@code loss} are the loss. */
    public double value(StoppingMetric metric) {
        Double v = switch (metric) {
            case AUTO, LOSS -> loss;
            case ACCURACY -> accuracy;
            case MACRO_F1 -> macroF1;
            case AUC -> auc;
            case MSE -> mse;
            case MAE -> mae;
            case RMSE -> rmse;
            case R2 -> r2;
            case MMD -> null; // a GAN's, measured by GanEvaluation
        };
        if (v == null) {
            throw new IllegalArgumentException("metric " + metric + " is not available for this model");
        }
        return v;
    }

    /** A one-line summary for progress output. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format("loss %.4f", loss));
        if (accuracy != null) {
            s.append(String.format("  acc %.4f  macro-f1 %.4f", accuracy, macroF1));
            if (auc != null) {
                s.append(String.format("  auc %.4f  f1(%s) %.4f", auc, positiveClass, positiveF1));
            }
        } else {
            s.append(String.format("  rmse %.4f  mae %.4f  r2 %.4f", rmse, mae, r2));
        }
        return s.toString();
    }
}
