package io.trainyard.generate;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Long-format monthly series the way measurements of the real world look: a level in the hundreds, a rising trend
 * and a yearly cycle, {@code value = level + slope * t + amplitude * sin(2 pi t / 12 + phase) + noise} with Gaussian
 * noise of sd {@link #NOISE_SD}; levels 310-410, slopes 0.1-0.2 a month, amplitudes 2-6, a phase per series. The best
 * forecast of the next month has a test MAE of {@code NOISE_SD * sqrt(2 / pi)}; repeating the last value also pays
 * the month's trend and seasonal change and twice the noise.
 * <p>
 * Row {@code id} is series {@code id / STEPS}, month {@code id % STEPS}; a series' shape is a fixed function of its
 * index and the seed draws the noise.
 */
public final class TrendGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final double NOISE_SD = 0.5;
    /** Months per series. */
    public static final int STEPS = 240;

    static final int PERIOD = 12;
    private static final long START_EPOCH_SECOND = 946_684_800L;
    private static final long MONTH_SECONDS = 30L * 24 * 3600;

    @Override
    public String name() {
        return "trend";
    }

    @Override
    public String description() {
        return "monthly series, level 310-410, rising trend, yearly cycle, noise sd " + NOISE_SD;
    }

    @Override
    public StructType schema() {
        return monthlySeries();
    }

    /** Long-format monthly series: {@code series_id}, {@code month}, {@code value}. */
    static StructType monthlySeries() {
        return new StructType()
                .add("series_id", DataTypes.StringType, false)
                .add("month", DataTypes.TimestampType, false)
                .add("value", DataTypes.DoubleType, false);
    }

    @Override
    public Row row(long id, SplittableRandom random) {
        long series = id / STEPS;
        int step = (int) (id % STEPS);
        double value = Shape.of(series).expected(step) + NOISE_SD * Gaussian.next(random);
        return RowFactory.create(
                String.format("t%05d", series),
                new Timestamp((START_EPOCH_SECOND + MONTH_SECONDS * step) * 1000),
                value);
    }

    /** A series' noiseless shape. */
    record Shape(double level, double slope, double amplitude, double phase) {
        static Shape of(long series) {
            SplittableRandom r = new SplittableRandom(0x7E4D_5EEDL + series * 0x9E37_79B9_7F4A_7C15L);
            return new Shape(
                    310 + 100 * r.nextDouble(),
                    0.1 + 0.1 * r.nextDouble(),
                    2 + 4 * r.nextDouble(),
                    2 * Math.PI * r.nextDouble());
        }

        double expected(int step) {
            return level + slope * step + amplitude * Math.sin(2 * Math.PI * step / PERIOD + phase);
        }
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "regression (forecast value)");
        out.put("series", "series_id");
        out.put("order", "month");
        out.put("label", "value");
        out.put("best_mae", NOISE_SD * Math.sqrt(2 / Math.PI));
        out.put("steps_per_series", STEPS);
        return out;
    }
}
