package io.trainyard.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.Seeds;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Every generator's published optimum, measured again on rows drawn the way {@code generate} draws them: the rule
 * that knows how the data was made is applied to the written columns and scored. Tolerances are four standard errors
 * of the measured figure, so a drift in a generator or in its published number fails here, not in a training test.
 */
class GeneratorOptimaTest {
    private static final int ROWS = 60_000;

    private static void rows(DatasetGenerator g, int count, Consumer<Row> each) {
        long seed = Seeds.derive(7, "optima-test");
        for (long id = 0; id < count; id++) {
            each.accept(g.row(id, new SplittableRandom(Seeds.derive(seed, "row", id))));
        }
    }

    private static double number(Map<String, Object> optimum, String key) {
        return ((Number) optimum.get(key)).doubleValue();
    }

    /** Four standard errors of a share {@code p} measured on {@code n} rows. */
    private static double shareTolerance(double p, int n) {
        return 4 * Math.sqrt(p * (1 - p) / n);
    }

    private static int hourOf(Object timestamp) {
        return (int) ((((Timestamp) timestamp).getTime() / 1000) % 86_400 / 3600);
    }

    @Test
    void classificationBayesRuleScoresThePublishedAccuracy() {
        ClassificationGenerator g = new ClassificationGenerator();
        int[] right = {0};
        rows(g, ROWS, r -> {
            int segment = Arrays.asList(ClassificationGenerator.SEGMENTS).indexOf(r.getString(5));
            int best = ClassificationGenerator.bayesClass(
                    r.getInt(1),
                    Math.log(r.getDouble(2)),
                    r.getDouble(3),
                    r.getDouble(4),
                    segment,
                    r.getBoolean(6),
                    hourOf(r.get(7)));
            right[0] += ClassificationGenerator.CLASSES.get(best).equals(r.getString(10)) ? 1 : 0;
        });
        double bayes = number(g.optimum(), "bayes_accuracy");
        assertEquals(bayes, right[0] / (double) ROWS, shareTolerance(bayes, ROWS));
    }

    @Test
    void wideLinearRuleScoresThePublishedAccuracy() {
        WideGenerator g = new WideGenerator();
        int[] right = {0};
        rows(g, ROWS, r -> {
            double score = 0;
            for (int i = 0; i < WideGenerator.COLUMNS; i++) {
                score += WideGenerator.WEIGHTS[i] * r.getDouble(1 + i);
            }
            right[0] += (score > 0 ? 1 : 0) == r.getInt(WideGenerator.COLUMNS + 1) ? 1 : 0;
        });
        double bayes = number(g.optimum(), "bayes_accuracy");
        assertEquals(bayes, right[0] / (double) ROWS, shareTolerance(bayes, ROWS));
    }

    @Test
    void regressionAndPricesTrueFunctionLeavesThePublishedMse() {
        assertEquals(
                new RegressionGenerator("prices", 900, 50).optimum(),
                RegressionGenerator.prices().optimum());
        for (double[] units : List.of(new double[] {0, 1}, new double[] {900, 50})) {
            RegressionGenerator g = new RegressionGenerator("units", units[0], units[1]);
            double[] squares = {0};
            rows(g, ROWS, r -> {
                int zone = List.of("north", "south", "east", "west").indexOf(r.getString(4));
                double expected = RegressionGenerator.expected(
                        r.getDouble(1), r.getDouble(2), zone, r.getBoolean(5), hourOf(r.get(6)));
                double e = r.getDouble(7) - (units[0] + units[1] * expected);
                squares[0] += e * e;
            });
            double best = number(g.optimum(), "best_mse");
            // The squared error of a normal has variance 2 sd^4.
            assertEquals(best, squares[0] / ROWS, 4 * Math.sqrt(2 * best * best / ROWS), "factor " + units[1]);
        }
    }

    @Test
    void seasonalAndTrendShapesLeaveThePublishedMae() {
        double[] seasonal = {0};
        rows(new SeasonalGenerator(), ROWS, r -> {
            long id = rowIndex(r.getString(0), SeasonalGenerator.STEPS, r.get(1), 3600L, 1_704_067_200L);
            seasonal[0] += Math.abs(r.getDouble(2)
                    - SeasonalGenerator.Shape.of(id / SeasonalGenerator.STEPS)
                            .expected((int) (id % SeasonalGenerator.STEPS)));
        });
        double[] trend = {0};
        rows(new TrendGenerator(), ROWS, r -> {
            long id = rowIndex(r.getString(0), TrendGenerator.STEPS, r.get(1), 30L * 24 * 3600, 946_684_800L);
            trend[0] += Math.abs(r.getDouble(2)
                    - TrendGenerator.Shape.of(id / TrendGenerator.STEPS).expected((int) (id % TrendGenerator.STEPS)));
        });
        // |noise| of a normal with sd s has mean s sqrt(2/pi) and sd s sqrt(1 - 2/pi).
        double spread = Math.sqrt(1 - 2 / Math.PI);
        double s = SeasonalGenerator.NOISE_SD;
        assertEquals(
                number(new SeasonalGenerator().optimum(), "best_mae"),
                seasonal[0] / ROWS,
                4 * s * spread / Math.sqrt(ROWS));
        double t = TrendGenerator.NOISE_SD;
        assertEquals(
                number(new TrendGenerator().optimum(), "best_mae"), trend[0] / ROWS, 4 * t * spread / Math.sqrt(ROWS));
    }

    @Test
    void climbSeriesLeaveThePublishedMaeAndTheirTestMonthsLieAboveEveryTrainingMonth() {
        int series = ClimbGenerator.FACTORS.length;
        double[] relative = {0};
        double[][] values = new double[series][ClimbGenerator.STEPS];
        rows(new ClimbGenerator(), series * ClimbGenerator.STEPS, r -> {
            int s = Integer.parseInt(r.getString(0).substring(1));
            int step = (int) java.time.temporal.ChronoUnit.MONTHS.between(
                    java.time.LocalDate.of(1958, 4, 1),
                    ((Timestamp) r.get(1)).toLocalDateTime().toLocalDate());
            values[s][step] = r.getDouble(2);
            relative[0] += Math.abs(r.getDouble(2) / ClimbGenerator.factor(s) - ClimbGenerator.expected(step));
        });
        int n = series * ClimbGenerator.STEPS;
        double sd = ClimbGenerator.NOISE_SD;
        assertEquals(
                number(new ClimbGenerator().optimum(), "best_mae"),
                relative[0] / n,
                4 * sd * Math.sqrt(1 - 2 / Math.PI) / Math.sqrt(n));
        for (int s = 0; s < series; s++) {
            // A time split at 70/15/15: every test month above the highest month training holds.
            int trainEnd = (int) Math.round(ClimbGenerator.STEPS * 0.70);
            int testStart = (int) Math.round(ClimbGenerator.STEPS * 0.85);
            double trainMax =
                    java.util.Arrays.stream(values[s], 0, trainEnd).max().orElseThrow();
            double testMin = java.util.Arrays.stream(values[s], testStart, ClimbGenerator.STEPS)
                    .min()
                    .orElseThrow();
            assertTrue(testMin > trainMax, "series " + s + ": test min " + testMin + ", train max " + trainMax);
        }
        assertEquals(315, values[0][0], 2);
        assertTrue(values[0][ClimbGenerator.STEPS - 1] > 410, "series 0 climbs past 410");
    }

    /** The row id back from what was written: the series number and the step from the timestamp. */
    private static long rowIndex(String series, int steps, Object timestamp, long stepSeconds, long start) {
        long step = (((Timestamp) timestamp).getTime() / 1000 - start) / stepSeconds;
        return Long.parseLong(series.substring(1)) * steps + step;
    }

    @Test
    void imbalancedSharesAndMeansAreThePublishedOnes() {
        ImbalancedGenerator g = new ImbalancedGenerator();
        @SuppressWarnings("unchecked")
        List<Double> shares = (List<Double>) g.optimum().get("kind_shares");
        List<String> kinds = Arrays.asList(ImbalancedGenerator.KINDS);
        long[] counts = new long[kinds.size()];
        double[] ownMean = new double[kinds.size()];
        long[] alerts = {0};
        double[] alertMean = {0, 0};
        rows(g, ROWS, r -> {
            int kind = kinds.indexOf(r.getString(9));
            counts[kind]++;
            ownMean[kind] += r.getDouble(1 + kind);
            boolean alert = r.getBoolean(10);
            alerts[0] += alert ? 1 : 0;
            alertMean[alert ? 1 : 0] += r.getDouble(7);
        });
        for (int k = 0; k < kinds.size(); k++) {
            assertEquals(shares.get(k), counts[k] / (double) ROWS, shareTolerance(shares.get(k), ROWS), kinds.get(k));
            assertEquals(
                    ImbalancedGenerator.SEPARATION, ownMean[k] / counts[k], 4 / Math.sqrt(counts[k]), kinds.get(k));
        }
        double alertShare = number(g.optimum(), "alert_share");
        assertEquals(alertShare, alerts[0] / (double) ROWS, shareTolerance(alertShare, ROWS));
        assertEquals(ImbalancedGenerator.SEPARATION, alertMean[1] / alerts[0], 4 / Math.sqrt(alerts[0]));
        assertEquals(0, alertMean[0] / (ROWS - alerts[0]), 4 / Math.sqrt(ROWS - alerts[0]));
    }

    @Test
    void manifoldAnomaliesAreSeparableAtTheRateAndAucPublished() {
        ManifoldGenerator g = new ManifoldGenerator();
        double[][] a = ManifoldGenerator.A;
        double[][] gram = new double[3][3];
        for (double[] row : a) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    gram[i][j] += row[i] * row[j];
                }
            }
        }
        double[][] inverse = invert3(gram);
        List<Double> normal = new ArrayList<>();
        List<Double> anomalous = new ArrayList<>();
        rows(g, ROWS, r -> {
            double[] x = new double[ManifoldGenerator.COLUMNS];
            double[] atx = new double[3];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.getDouble(1 + j);
                for (int k = 0; k < 3; k++) {
                    atx[k] += a[j][k] * x[j];
                }
            }
            double residual = 0;
            for (int j = 0; j < x.length; j++) {
                double fitted = 0;
                for (int k = 0; k < 3; k++) {
                    for (int m = 0; m < 3; m++) {
                        fitted += a[j][k] * inverse[k][m] * atx[m];
                    }
                }
                residual += (x[j] - fitted) * (x[j] - fitted);
            }
            (r.getBoolean(ManifoldGenerator.COLUMNS + 1) ? anomalous : normal).add(residual);
        });
        double rate = number(g.optimum(), "anomaly_rate");
        assertEquals(rate, anomalous.size() / (double) ROWS, shareTolerance(rate, ROWS));
        assertTrue(auc(anomalous, normal) > 0.99, "distance off the structure separates anomalies: \"near 1\"");
    }

    @Test
    void mixtureComponentsHaveThePublishedCentresAndSpread() {
        MixtureGenerator g = new MixtureGenerator();
        int components = MixtureGenerator.CENTRES.size();
        double[][] sums = new double[components][5];
        rows(g, ROWS, r -> {
            double[] s = sums[r.getInt(3)];
            s[0]++;
            s[1] += r.getDouble(1);
            s[2] += r.getDouble(2);
            s[3] += r.getDouble(1) * r.getDouble(1);
            s[4] += r.getDouble(2) * r.getDouble(2);
        });
        double sd = number(g.optimum(), "sd");
        for (int c = 0; c < components; c++) {
            double n = sums[c][0];
            assertEquals(1.0 / components, n / ROWS, shareTolerance(1.0 / components, ROWS));
            for (int d = 0; d < 2; d++) {
                double mean = sums[c][1 + d] / n;
                assertEquals(MixtureGenerator.CENTRES.get(c)[d], mean, 4 * sd / Math.sqrt(n));
                double measuredSd = Math.sqrt(sums[c][3 + d] / n - mean * mean);
                assertEquals(sd, measuredSd, 4 * sd / Math.sqrt(2 * n));
            }
        }
    }

    @Test
    void tabularTrueProbabilityScoresThePublishedAucAtTheShare() {
        TabularGenerator g = new TabularGenerator();
        List<Double> positives = new ArrayList<>();
        List<Double> negatives = new ArrayList<>();
        rows(g, ROWS, r -> {
            double p = TabularGenerator.probability(
                    Integer.parseInt(r.getString(1).substring(1)),
                    Integer.parseInt(r.getString(2).substring(1)),
                    hourOf(r.get(3)),
                    r.getDouble(4));
            (r.getBoolean(5) ? positives : negatives).add(p);
        });
        double share = number(g.optimum(), "positive_share");
        assertEquals(share, positives.size() / (double) ROWS, shareTolerance(share, ROWS));
        double best = number(g.optimum(), "best_auc");
        // The AUC's standard error is about sqrt(AUC (1 - AUC) / positives) here.
        assertEquals(best, auc(positives, negatives), 4 * Math.sqrt(best * (1 - best) / positives.size()));
    }

    /** Probability that a random positive scores above a random negative (ties count half). */
    static double auc(List<Double> positives, List<Double> negatives) {
        double[] neg =
                negatives.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double wins = 0;
        for (double p : positives) {
            int below = lowerBound(neg, p);
            int notAbove = lowerBound(neg, Math.nextUp(p));
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) positives.size() * neg.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[][] invert3(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                out[i][j] = (m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]) / det;
            }
        }
        return out;
    }

    @Test
    void textsBayesRuleScoresThePublishedAccuracy() {
        TextsGenerator g = new TextsGenerator();
        int[] right = {0};
        int[] positive = {0};
        rows(g, ROWS, r -> {
            boolean isPositive = r.getString(3).equals("positive");
            positive[0] += isPositive ? 1 : 0;
            right[0] += TextsGenerator.bayesPositive(r.getString(1) + " " + r.getString(2)) == isPositive ? 1 : 0;
            String title = r.getString(1);
            assertTrue(Character.isUpperCase(title.charAt(0)) && r.getString(2).endsWith("."), title);
        });
        double bayes = number(g.optimum(), "bayes_accuracy");
        assertTrue(bayes > 0.8 && bayes < 0.95, "a task between the majority class and perfect: " + bayes);
        assertEquals(bayes, right[0] / (double) ROWS, shareTolerance(bayes, ROWS));
        assertEquals(0.6, positive[0] / (double) ROWS, shareTolerance(0.6, ROWS));
        // No filler word is a sentiment word, so the rule reads exactly the lists.
        assertTrue(TextsGenerator.FILLER.stream()
                .noneMatch(w -> TextsGenerator.POSITIVE.contains(w) || TextsGenerator.NEGATIVE.contains(w)));
        assertEquals(TextsGenerator.FILLER_WORDS, new java.util.HashSet<>(TextsGenerator.FILLER).size());
    }
}
