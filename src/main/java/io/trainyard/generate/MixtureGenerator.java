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
 * A 2-D mixture of {@link #CENTRES} Gaussians of sd {@link #SD} at the corners of a square, equally weighted: the
 * GAN dataset. {@code component} says which one drew the row (for checking that generated rows cover them all).
 */
public final class MixtureGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final double SD = 0.25;
    public static final List<double[]> CENTRES =
            List.of(new double[] {-2, -2}, new double[] {-2, 2}, new double[] {2, -2}, new double[] {2, 2});

    @Override
    public String name() {
        return "mixture";
    }

    @Override
    public String description() {
        return CENTRES.size() + " Gaussians of sd " + SD + " at (+-2, +-2)";
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("row_id", DataTypes.LongType, false)
                .add("x", DataTypes.DoubleType, false)
                .add("y", DataTypes.DoubleType, false)
                .add("component", DataTypes.IntegerType, false);
    }

    @Override
    public Row row(long id, SplittableRandom r) {
        int c = r.nextInt(CENTRES.size());
        return RowFactory.create(
                id, CENTRES.get(c)[0] + SD * Gaussian.next(r), CENTRES.get(c)[1] + SD * Gaussian.next(r), c);
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "generation (gan)");
        out.put("features", List.of("x", "y"));
        out.put("components", CENTRES);
        out.put("sd", SD);
        return out;
    }
}
