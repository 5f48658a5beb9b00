package io.trainyard.generate;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A non-linear regression target of numeric, categorical, boolean and timestamp columns plus Gaussian noise of
 * standard deviation {@link #NOISE_SD}: the best achievable test MSE is {@code NOISE_SD^2}. The {@code prices} variant
 * is the same target in other units, {@code 900 + 50 * target} (mean about 1,000, spread about 100), as prices,
 * counts or kelvins are: its best MSE is {@code (50 * NOISE_SD)^2}.
 */
public final class RegressionGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final double offset;
    private final double factor;

    /** The {@code regression} dataset: the target as it is. */
    public RegressionGenerator() {
        this("regression", 0, 1);
    }

    /** The target in other units: {@code offset + factor * target}. */
    RegressionGenerator(String name, double offset, double factor) {
        this.name = name;
        this.offset = offset;
        this.factor = factor;
    }

    /** The {@code prices} dataset: mean about 1,000, spread about 100. */
    static RegressionGenerator prices() {
        return new RegressionGenerator("prices", 900, 50);
    }

    public static final double NOISE_SD = 0.5;
    private static final String[] ZONES = {"north", "south", "east", "west"};
    private static final double[] ZONE_EFFECT = {1.0, -1.0, 0.5, 0.0};
    private static final long START_EPOCH_SECOND = 1_704_067_200L;
    private static final long YEAR_SECONDS = 366L * 24 * 3600;

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        double sd = factor * NOISE_SD;
        return "non-linear regression"
                + (offset == 0 && factor == 1 ? "" : " (" + offset + " + " + factor + " x target)") + " with noise sd "
                + sd + "; best MSE " + sd * sd;
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("row_id", DataTypes.LongType, false)
                .add("x1", DataTypes.DoubleType, false)
                .add("x2", DataTypes.DoubleType, false)
                .add("x3", DataTypes.DoubleType, true)
                .add("zone", DataTypes.StringType, false)
                .add("flag", DataTypes.BooleanType, false)
                .add("ts", DataTypes.TimestampType, false)
                .add("target", DataTypes.DoubleType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        double x1 = -3 + 6 * r.nextDouble();
        double x2 = Gaussian.next(r);
        Double x3 = r.nextDouble() < 0.05 ? null : Gaussian.next(r);
        int zone = r.nextInt(ZONES.length);
        boolean flag = r.nextBoolean();
        long second = START_EPOCH_SECOND + (long) (r.nextDouble() * YEAR_SECONDS);
        int hour = (int) ((second % 86_400) / 3600);
        double y = offset + factor * (expected(x1, x2, zone, flag, hour) + NOISE_SD * Gaussian.next(r));
        return RowFactory.create(id, x1, x2, x3, ZONES[zone], flag, new Timestamp(second * 1000), y);
    }

    static double expected(double x1, double x2, int zone, boolean flag, int hour) {
        boolean rush = (hour >= 7 && hour <= 9) || (hour >= 16 && hour <= 18);
        return 2 * Math.sin(x1) + 0.5 * x2 * x2 + ZONE_EFFECT[zone] + (flag ? 1.5 : 0) + (rush ? 1.0 : 0);
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "regression");
        out.put("label", "target");
        out.put("id", "row_id");
        out.put("best_mse", factor * NOISE_SD * factor * NOISE_SD);
        out.put("uninformative_columns", List.of("x3"));
        return out;
    }
}
