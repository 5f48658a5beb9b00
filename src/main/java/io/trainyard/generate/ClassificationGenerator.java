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
 * Customer-outcome classification (stay / churn / upgrade, imbalanced) over numeric, integer, string-categorical,
 * boolean and timestamp columns, with nulls in the uninformative columns. The label is the arg-max of fixed scores
 * of the informative columns, replaced with probability {@link #LABEL_NOISE} by one of the other two classes chosen
 * uniformly: no model can beat {@code 1 - LABEL_NOISE} accuracy, and the scoring rule reaches it.
 */
public final class ClassificationGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final double LABEL_NOISE = 0.10;
    static final List<String> CLASSES = List.of("churn", "stay", "upgrade");
    static final String[] SEGMENTS = {"bronze", "silver", "gold", "platinum"};
    private static final double[] SEGMENT_SHARES = {0.4, 0.3, 0.2, 0.1};
    private static final String[] CHANNELS = {"web", "store", "phone"};
    /** 2024-01-01T00:00:00Z and one year of seconds. */
    private static final long START_EPOCH_SECOND = 1_704_067_200L;

    private static final long YEAR_SECONDS = 366L * 24 * 3600;
    private static final double NULL_SHARE = 0.05;

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public String description() {
        return "3-class imbalanced customer outcomes; Bayes accuracy " + (1 - LABEL_NOISE);
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("customer_id", DataTypes.LongType, false)
                .add("age", DataTypes.IntegerType, false)
                .add("income", DataTypes.DoubleType, false)
                .add("score_a", DataTypes.DoubleType, false)
                .add("score_b", DataTypes.DoubleType, false)
                .add("segment", DataTypes.StringType, false)
                .add("member", DataTypes.BooleanType, false)
                .add("signup_ts", DataTypes.TimestampType, false)
                .add("channel", DataTypes.StringType, true)
                .add("noise", DataTypes.DoubleType, true)
                .add("outcome", DataTypes.StringType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        int age = 18 + r.nextInt(63);
        double logIncome = 10.5 + 0.5 * Gaussian.next(r);
        double a = Gaussian.next(r);
        double b = Gaussian.next(r);
        int segment = pick(r, SEGMENT_SHARES);
        boolean member = r.nextBoolean();
        long second = START_EPOCH_SECOND + (long) (r.nextDouble() * YEAR_SECONDS);
        int hour = (int) ((second % 86_400) / 3600);
        String channel = r.nextDouble() < NULL_SHARE ? null : CHANNELS[r.nextInt(CHANNELS.length)];
        Double noise = r.nextDouble() < NULL_SHARE ? null : Gaussian.next(r);
        int best = bayesClass(age, logIncome, a, b, segment, member, hour);
        int label = best;
        if (r.nextDouble() < LABEL_NOISE) {
            label = (best + 1 + r.nextInt(CLASSES.size() - 1)) % CLASSES.size();
        }
        return RowFactory.create(
                id,
                age,
                Math.exp(logIncome),
                a,
                b,
                SEGMENTS[segment],
                member,
                new Timestamp(second * 1000),
                channel,
                noise,
                CLASSES.get(label));
    }

    /** The class the Bayes-optimal rule predicts: the arg-max of the noiseless scores. */
    static int bayesClass(int age, double logIncome, double a, double b, int segment, boolean member, int hour) {
        double churn = 1.8 * a - 1.0 * b + (segment == 0 ? 0.8 : 0) - (member ? 0.8 : 0) + 0.06 * (12 - hour) - 0.9;
        double stay = 1.0;
        double upgrade =
                1.6 * b + 0.03 * (age - 50) + (segment >= 2 ? 1.0 : 0) + (Math.exp(logIncome) - 40_000) / 20_000 - 1.8;
        if (churn >= stay && churn >= upgrade) {
            return 0;
        }
        return stay >= upgrade ? 1 : 2;
    }

    private static int pick(SplittableRandom r, double[] shares) {
        double u = r.nextDouble();
        for (int i = 0; i < shares.length - 1; i++) {
            u -= shares[i];
            if (u < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "classification");
        out.put("label", "outcome");
        out.put("id", "customer_id");
        out.put("classes", CLASSES);
        out.put("bayes_accuracy", 1 - LABEL_NOISE);
        out.put("uninformative_columns", List.of("channel", "noise"));
        return out;
    }
}
