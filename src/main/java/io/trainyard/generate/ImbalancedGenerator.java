package io.trainyard.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Imbalanced labels, as users' are: {@code kind} takes four classes with shares 55/28/15/2%, and each class's rows
 * are Gaussian around a class mean in {@code x0..x5} (unit variance, means {@link #SEPARATION} apart along one axis
 * each), so the rare class overlaps the others and a model that ignores it still scores 98% of its best accuracy.
 * {@code alert} is an independent binary label, true for 5% of rows, whose rows are shifted by {@link #SEPARATION}
 * along {@code x6} and {@code x7}. The optimum published is the generative model (shares and means): the Bayes rule
 * follows from it.
 */
public final class ImbalancedGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    static final String[] KINDS = {"common", "usual", "uncommon", "rare"};
    static final double[] SHARES = {0.55, 0.28, 0.15, 0.02};
    public static final double ALERT_SHARE = 0.05;
    public static final double SEPARATION = 1.5;
    private static final int INPUTS = 8;

    @Override
    public String name() {
        return "imbalanced";
    }

    @Override
    public String description() {
        return "4 classes of shares 55/28/15/2% (kind) and a 5% binary label (alert) over 8 Gaussian inputs";
    }

    @Override
    public StructType schema() {
        StructType s = new StructType().add("row_id", DataTypes.LongType, false);
        for (int i = 0; i < INPUTS; i++) {
            s = s.add("x" + i, DataTypes.DoubleType, false);
        }
        return s.add("kind", DataTypes.StringType, false).add("alert", DataTypes.BooleanType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        double u = r.nextDouble();
        int kind = 0;
        for (double cumulative = SHARES[0]; kind < SHARES.length - 1 && u >= cumulative; cumulative += SHARES[++kind]) {
            // the first class whose cumulative share passes u
        }
        boolean alert = r.nextDouble() < ALERT_SHARE;
        Object[] values = new Object[INPUTS + 3];
        values[0] = id;
        for (int i = 0; i < INPUTS; i++) {
            double mean = (i < 4 && i == kind ? SEPARATION : 0) + (i >= 6 && alert ? SEPARATION : 0);
            values[1 + i] = mean + Gaussian.next(r);
        }
        values[INPUTS + 1] = KINDS[kind];
        values[INPUTS + 2] = alert;
        return RowFactory.create(values);
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "classification (kind: 4 classes; alert: binary)");
        out.put("id", "row_id");
        out.put("kind_classes", List.of(KINDS));
        out.put("kind_shares", List.of(0.55, 0.28, 0.15, 0.02));
        out.put("kind_means", "class i (of the order above) has mean " + SEPARATION + " in x<i>, 0 elsewhere");
        out.put("alert_share", ALERT_SHARE);
        out.put("alert_means", SEPARATION + " in x6 and x7 when true, 0 otherwise; inputs unit Gaussians");
        return out;
    }
}
