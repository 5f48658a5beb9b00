package io.trainyard.generate;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Long monthly series that climb out of their own past, shaped like the Mauna Loa CO2 record: {@value #STEPS} months
 * each, an accelerating trend ({@code 0.08 t + 0.00007 t^2}, about 100 over the series), a yearly cycle of amplitude
 * 3 and Gaussian noise of sd {@value #NOISE_SD}, all times the series' factor. Series 0 starts at 315 (factor 1); the
 * others' factors cycle through {@link #FACTORS}, so one table holds series from about 10 to about 900. Split in time,
 * every test month of a series lies above every month it trained on: a forecaster that learned levels cannot reach
 * them. The best forecast of the next month has a test MAE of the factor times {@code NOISE_SD * sqrt(2 / pi)}.
 * <p>
 * Row {@code id} is series {@code id / STEPS}, month {@code id % STEPS}; the seed draws the noise.
 */
public final class ClimbGenerator implements DatasetGenerator {
    private static final long serialVersionUID = 1L;
    public static final double NOISE_SD = 0.3;
    /** Months per series: the length of the monthly CO2 record that showed the problem. */
    public static final int STEPS = 741;
    /** Series factors after the first: levels from about 10 to about 900. */
    static final double[] FACTORS = {1, 0.03, 2.2, 0.4, 1.6, 0.1};

    private static final int PERIOD = 12;
    private static final long START_EPOCH_SECOND = -370_137_600L; // 1958-04-01

    @Override
    public String name() {
        return "climb";
    }

    @Override
    public String description() {
        return "monthly series of " + STEPS + " months, accelerating trend, yearly cycle, noise sd " + NOISE_SD
                + "; the test period lies above the training range";
    }

    @Override
    public StructType schema() {
        return TrendGenerator.monthlySeries();
    }

    @Override
    public Row row(long id, SplittableRandom random) {
        long series = id / STEPS;
        int step = (int) (id % STEPS);
        double value = factor(series) * (expected(step) + NOISE_SD * Gaussian.next(random));
        return RowFactory.create(
                String.format("c%03d", series),
                Timestamp.valueOf(java.time.LocalDateTime.ofEpochSecond(START_EPOCH_SECOND, 0, java.time.ZoneOffset.UTC)
                        .plusMonths(step)),
                value);
    }

    /** Series {@code series}' multiplier of the shape and the noise. */
    static double factor(long series) {
        return FACTORS[(int) (series % FACTORS.length)];
    }

    /** The noiseless shape of series 0. */
    static double expected(int step) {
        return 315 + 0.08 * step + 0.00007 * step * step + 3 * Math.sin(2 * Math.PI * step / PERIOD);
    }

    @Override
    public Map<String, Object> optimum() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "regression (forecast value, one month ahead)");
        out.put("series", "series_id");
        out.put("order", "month");
        out.put("label", "value");
        out.put("season", PERIOD);
        // Series 0's (factor 1); series k's is factor(k) times this.
        out.put("best_mae", NOISE_SD * Math.sqrt(2 / Math.PI));
        out.put("factors", java.util.Arrays.stream(FACTORS).boxed().toList());
        out.put("steps_per_series", STEPS);
        return out;
    }
}
