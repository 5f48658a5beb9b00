package io.trainyard.generate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@value #COLUMNS} numeric columns ({@code x0} ... {@code x63}, independent standard normals) and a binary label,
 * {@code y = 1} when {@code sum(w_i x_i) + noise > 0} with fixed weights {@code w_i = (-1)^i / (1 + i % 8)} and
 * Gaussian noise of the same spread as the score: the shape of the data-preparation throughput target
 * ("64 numeric columns"), with a label a linear model learns. The best accuracy is 0.75 (the score and the noise are
 * independent normals of equal variance, so they agree in sign three times in four).
 */
public final class WideGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final int COLUMNS = 64;
    static final double[] WEIGHTS = new double[COLUMNS];
    private static final double SCORE_SD;

    static {
        double variance = 0;
        for (int i = 0; i < COLUMNS; i++) {
            WEIGHTS[i] = (i % 2 == 0 ? 1.0 : -1.0) / (1 + i % 8);
            variance += WEIGHTS[i] * WEIGHTS[i];
        }
        SCORE_SD = Math.sqrt(variance);
    }

    @Override
    public String name() {
        return "wide";
    }

    @Override
    public String description() {
        return COLUMNS + " standard-normal columns, binary label from a noisy linear score; best accuracy 0.75";
    }

    @Override
    public StructType schema() {
        StructType schema = new StructType().add("row_id", DataTypes.LongType, false);
        for (int i = 0; i < COLUMNS; i++) {
            schema = schema.add("x" + i, DataTypes.DoubleType, false);
        }
        return schema.add("y", DataTypes.IntegerType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        Object[] values = new Object[COLUMNS + 2];
        values[0] = id;
        double score = 0;
        for (int i = 0; i < COLUMNS; i++) {
            double x = Gaussian.next(r);
            values[1 + i] = x;
            score += WEIGHTS[i] * x;
        }
        values[COLUMNS + 1] = score + SCORE_SD * Gaussian.next(r) > 0 ? 1 : 0;
        return RowFactory.create(values);
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "classification");
        out.put("label", "y");
        out.put("id", "row_id");
        out.put("bayes_accuracy", 0.75);
        return out;
    }
}
