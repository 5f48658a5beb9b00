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
 * The {@code tabular} dataset, the shape of the speed benchmark: two string categoricals of 300 values each with
 * skewed (Zipf) frequencies, a timestamp, a numeric amount, and a weak binary label, 20% true. The label is drawn
 * from a known probability, {@code sigmoid(merchant effect + city effect + a daily cycle + 0.35 z(log amount) +
 * bias)}, so the best AUC any model can reach is the AUC of that probability itself ({@link #BEST_AUC}, measured on
 * 2,000,000 rows). A model that keeps only the frequent categories (Trainyard's {@code data.max-categories}) loses
 * the rare ones' effects and reaches a little less.
 */
public final class TabularGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    static final int VALUES = 300;
    static final double[] MERCHANT_EFFECT = effects(11, 0.6);
    static final double[] CITY_EFFECT = effects(12, 0.5);
    private static final double[] MERCHANT_CUMULATIVE = zipf(1.1);
    private static final double[] CITY_CUMULATIVE = zipf(0.8);
    /** Sets the share of true labels to 20% (measured on 2,000,000 rows: 0.2008). */
    static final double BIAS = -1.58;

    static final double POSITIVE_SHARE = 0.20;
    /** The AUC of the true probability against labels drawn from it, on 2,000,000 rows. */
    public static final double BEST_AUC = 0.7238;

    private static final long START_EPOCH_SECOND = 1_704_067_200L;
    private static final long YEAR_SECONDS = 366L * 24 * 3600;

    @Override
    public String name() {
        return "tabular";
    }

    @Override
    public String description() {
        return "2 string categoricals of 300 values, a timestamp, an amount, a weak 20% binary label; best AUC "
                + BEST_AUC;
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("row_id", DataTypes.LongType, false)
                .add("merchant", DataTypes.StringType, false)
                .add("city", DataTypes.StringType, false)
                .add("event_time", DataTypes.TimestampType, false)
                .add("amount", DataTypes.DoubleType, false)
                .add("converted", DataTypes.BooleanType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        int merchant = pick(MERCHANT_CUMULATIVE, r.nextDouble());
        int city = pick(CITY_CUMULATIVE, r.nextDouble());
        long second = START_EPOCH_SECOND + (long) (r.nextDouble() * YEAR_SECONDS);
        double amount = Math.exp(3.5 + Gaussian.next(r));
        boolean converted = r.nextDouble() < probability(merchant, city, hourOf(second), amount);
        return RowFactory.create(
                id,
                String.format("m%03d", merchant),
                String.format("c%03d", city),
                new Timestamp(second * 1000),
                Math.round(amount * 100) / 100.0,
                converted);
    }

    static int hourOf(long epochSecond) {
        return (int) ((epochSecond % 86_400) / 3600);
    }

    /** The probability the label is true: the best possible model. */
    static double probability(int merchant, int city, int hour, double amount) {
        double score = MERCHANT_EFFECT[merchant]
                + CITY_EFFECT[city]
                + 0.5 * Math.cos(2 * Math.PI * (hour - 20) / 24.0)
                + 0.35 * (Math.log(amount) - 3.5)
                + BIAS;
        return 1 / (1 + Math.exp(-score));
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "classification (binary)");
        out.put("label", "converted");
        out.put("id", "row_id");
        out.put("positive_share", POSITIVE_SHARE);
        out.put("best_auc", BEST_AUC);
        out.put("categoricals", List.of("merchant", "city"));
        return out;
    }

    private static double[] effects(long seed, double sd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[VALUES];
        for (int i = 0; i < VALUES; i++) {
            out[i] = sd * Gaussian.next(r);
        }
        return out;
    }

    private static double[] zipf(double exponent) {
        double[] cumulative = new double[VALUES];
        double sum = 0;
        for (int k = 0; k < VALUES; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < VALUES; k++) {
            cumulative[k] /= sum;
        }
        return cumulative;
    }

    private static int pick(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
