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
 * Long-format seasonal time series, one row per series and hour: {@code value = level + amplitude * sin(2 pi t /
 * period + phase) + noise}, with Gaussian noise of sd {@link #NOISE_SD}. Each series has its own level, amplitude
 * and phase and one of three periods, named by {@code pattern} ({@code fast} 6 h, {@code daily} 12 h, {@code slow}
 * 24 h). Forecasting the next value can do no better than the seasonal part, a test MAE of
 * {@code NOISE_SD * sqrt(2 / pi)}; repeating the last value also pays the step's change and twice the noise.
 * Classifying a window's {@code pattern} is nearly certain from a day of steps.
 * <p>
 * Rows {@code id} are series {@code id / STEPS}, step {@code id % STEPS}; a series' shape is a fixed function of its
 * index and the seed draws the noise, so every row stays a pure function of (seed, id).
 */
public final class SeasonalGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final double NOISE_SD = 0.25;
    /** Steps (hours) per series. */
    public static final int STEPS = 240;

    static final String[] PATTERNS = {"fast", "daily", "slow"};
    static final int[] PERIODS = {6, 12, 24};
    private static final long START_EPOCH_SECOND = 1_704_067_200L;

    @Override
    public String name() {
        return "seasonal";
    }

    @Override
    public String description() {
        return "seasonal series of " + STEPS + " hourly steps, periods 6/12/24 h, noise sd " + NOISE_SD;
    }

    @Override
    public StructType schema() {
        return new StructType()
                .add("series_id", DataTypes.StringType, false)
                .add("ts", DataTypes.TimestampType, false)
                .add("value", DataTypes.DoubleType, false)
                .add("pattern", DataTypes.StringType, false);
    }

    @Override
    public Row row(long id, SplittableRandom random) {
        long series = id / STEPS;
        int step = (int) (id % STEPS);
        Shape s = Shape.of(series);
        double value = s.expected(step) + NOISE_SD * Gaussian.next(random);
        return RowFactory.create(
                String.format("s%05d", series),
                new Timestamp((START_EPOCH_SECOND + 3600L * step) * 1000),
                value,
                PATTERNS[s.pattern]);
    }

    /** A series' noiseless shape. */
    record Shape(int pattern, double level, double amplitude, double phase) {
        static Shape of(long series) {
            SplittableRandom r = new SplittableRandom(0x5EA5_0A1L + series * 0x9E37_79B9_7F4A_7C15L);
            return new Shape(
                    r.nextInt(PATTERNS.length),
                    -2 + 4 * r.nextDouble(),
                    1 + r.nextDouble(),
                    2 * Math.PI * r.nextDouble());
        }

        double expected(int step) {
            return level + amplitude * Math.sin(2 * Math.PI * step / PERIODS[pattern] + phase);
        }
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "regression (forecast value) or classification (pattern)");
        out.put("series", "series_id");
        out.put("order", "ts");
        out.put("label", "value");
        out.put("best_mae", NOISE_SD * Math.sqrt(2 / Math.PI));
        out.put("steps_per_series", STEPS);
        return out;
    }
}
