package io.trainyard.generate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows on a low-dimensional structure with planted anomalies: {@code x = A z + noise} for a 3-dimensional latent
 * {@code z ~ N(0, I)}, a fixed 16 x 3 matrix {@code A} and noise of sd {@link #NOISE_SD}; a share
 * {@link #ANOMALY_RATE} of the rows ({@code is_anomaly = true}) also get an off-structure offset of sd
 * {@link #OFFSET_SD} in every column. An autoencoder with a bottleneck of 3 can reconstruct normal rows to the noise
 * and not the anomalies, so reconstruction error separates them almost perfectly (ROC AUC near 1).
 */
public final class ManifoldGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final int COLUMNS = 16;
    public static final int LATENT = 3;
    public static final double NOISE_SD = 0.1;
    public static final double OFFSET_SD = 0.8;
    public static final double ANOMALY_RATE = 0.02;
    static final double[][] A = mixing();

    private static double[][] mixing() {
        SplittableRandom r = new SplittableRandom(0xA170_E5C0L);
        double[][] a = new double[COLUMNS][LATENT];
        for (double[] row : a) {
            for (int k = 0; k < LATENT; k++) {
                row[k] = Gaussian.next(r);
            }
        }
        return a;
    }

    @Override
    public String name() {
        return "manifold";
    }

    @Override
    public String description() {
        return COLUMNS + " columns on a " + LATENT + "-dimensional structure, " + ANOMALY_RATE * 100
                + "% planted anomalies";
    }

    @Override
    public StructType schema() {
        StructType s = new StructType().add("row_id", DataTypes.LongType, false);
        for (int j = 0; j < COLUMNS; j++) {
            s = s.add("x" + j, DataTypes.DoubleType, false);
        }
        return s.add("is_anomaly", DataTypes.BooleanType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        double[] z = new double[LATENT];
        for (int k = 0; k < LATENT; k++) {
            z[k] = Gaussian.next(r);
        }
        boolean anomaly = r.nextDouble() < ANOMALY_RATE;
        Object[] values = new Object[COLUMNS + 2];
        values[0] = id;
        for (int j = 0; j < COLUMNS; j++) {
            double x = NOISE_SD * Gaussian.next(r);
            for (int k = 0; k < LATENT; k++) {
                x += A[j][k] * z[k];
            }
            values[j + 1] = anomaly ? x + OFFSET_SD * Gaussian.next(r) : x;
        }
        values[COLUMNS + 1] = anomaly;
        return RowFactory.create(values);
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "anomaly detection (autoencoder)");
        out.put("label", "is_anomaly");
        out.put("id", "row_id");
        out.put("latent_dimensions", LATENT);
        out.put("anomaly_rate", ANOMALY_RATE);
        out.put(
                "best_roc_auc",
                "near 1: anomalies carry an offset of sd " + OFFSET_SD + " per column off the structure");
        return out;
    }
}
