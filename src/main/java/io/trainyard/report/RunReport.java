package io.trainyard.report;

import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.evaluate.BinaryCurves;
import io.trainyard.evaluate.ClassMetrics;
import io.trainyard.evaluate.Metrics;
import io.trainyard.evaluate.TestSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * {@code report.html} of one run: a self-contained page (inline CSS and SVG, no script, nothing fetched) that a job
 * fills section by section with the figures its kind of model has: learning curves, the confusion matrix, ROC and
 * precision-recall curves, residuals, forecasts, reconstruction errors, generated rows.
 */
public final class RunReport {
    /** Rows drawn as points or lines; more would make a page of megabytes for no better picture. */
    public static final int SAMPLE_ROWS = TestSample.ROWS;

    private static final int BINS = 40;
    /** Test windows drawn one by one in a forecast's report. */
    private static final int WINDOWS = 4;

    private final StringBuilder page;

    private RunReport(StringBuilder page) {
        this.page = page;
    }

    /** A page headed {@code title}, with {@code summary} (plain text) under it. */
    public static RunReport titled(String title, String summary) {
        StringBuilder page = Page.open(title);
        page.append("<p>").append(Svg.esc(summary)).append("</p>\n");
        return new RunReport(page);
    }

    /**
     * One chart of per-epoch values.
     *
     * @param values each line's name and its value per epoch (epoch 1 first), in legend order
     */
    public record EpochChart(String id, String title, String yLabel, Map<String, double[]> values) {}

    /** The learning curves, side by side, each with a dashed marker at the kept epoch ({@code bestEpoch}, 0: none). */
    public RunReport learningCurves(List<EpochChart> charts, int bestEpoch) {
        StringBuilder row = new StringBuilder();
        for (EpochChart c : charts) {
            int last =
                    c.values().values().stream().mapToInt(v -> v.length).max().orElse(1);
            List<Svg.Series> series = new ArrayList<>();
            int colour = 0;
            for (Map.Entry<String, double[]> e : c.values().entrySet()) {
                double[] epochs = IntStream.rangeClosed(1, e.getValue().length)
                        .asDoubleStream()
                        .toArray();
                series.add(
                        Svg.Series.line(e.getKey(), Svg.COLOURS[colour++ % Svg.COLOURS.length], epochs, e.getValue()));
            }
            List<Svg.Marker> best = bestEpoch > 0 ? List.of(new Svg.Marker("kept", bestEpoch)) : List.of();
            row.append(Svg.chart(c.id(), c.title(), "epoch", c.yLabel(), Svg.Axis.epochs(last), null, series, best));
        }
        return section("Learning curves", row.toString());
    }

    /** The confusion matrix (rows: actual, columns: predicted) and each class's precision, recall, F1 and support. */
    public RunReport confusion(Metrics test) {
        List<ClassMetrics> classes = test.perClass();
        long[][] m = test.confusion();
        long max = 1;
        for (long[] row : m) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        StringBuilder t = new StringBuilder(
                "<table class=\"confusion\" data-chart=\"confusion\"><tr><th class=\"l\">actual \\ predicted</th>");
        classes.forEach(c -> t.append("<th>").append(Svg.esc(c.name())).append("</th>"));
        t.append("</tr>\n");
        for (int a = 0; a < m.length; a++) {
            t.append("<tr><th class=\"l\">")
                    .append(Svg.esc(classes.get(a).name()))
                    .append("</th>");
            for (int p = 0; p < m[a].length; p++) {
                // Shade by count; the diagonal green, the rest red, so mistakes stand out.
                double share = (double) m[a][p] / max;
                t.append(String.format(
                        Locale.ROOT,
                        "<td style=\"background:rgba(%s,%.2f)\">%d</td>",
                        a == p ? "44,160,44" : "214,39,40",
                        0.08 + 0.6 * share,
                        m[a][p]));
            }
            t.append("</tr>\n");
        }
        t.append("</table>\n<table data-chart=\"per-class\"><tr><th class=\"l\">class</th><th>precision</th>")
                .append("<th>recall</th><th>F1</th><th>support</th></tr>\n");
        for (ClassMetrics c : classes) {
            t.append(String.format(
                    Locale.ROOT,
                    "<tr><td class=\"l\">%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>%n",
                    Svg.esc(c.name()),
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.support()));
        }
        t.append("</table>\n");
        return section("Confusion matrix and per-class metrics on the test split", t.toString());
    }

    /**
     * ROC and precision-recall curves of a binary model on the test split, with the model's operating point (its
     * decision threshold) marked where the test confusion matrix puts it.
     */
    public RunReport binaryCurves(BinaryCurves curves, Metrics test, double threshold) {
        long[][] m = test.confusion();
        double tp = m[1][1];
        double fp = m[0][1];
        double fn = m[1][0];
        double tn = m[0][0];
        double fpr = fp + tn == 0 ? 0 : fp / (fp + tn);
        double tpr = tp + fn == 0 ? 0 : tp / (tp + fn);
        double precision = tp + fp == 0 ? 1 : tp / (tp + fp);
        String operating = String.format(Locale.ROOT, "threshold %.3f", threshold);
        double[] chance = {0, 1};
        String roc = Svg.chart(
                "roc",
                String.format(Locale.ROOT, "ROC curve (AUC %.4f)", test.auc()),
                "false positive rate",
                "true positive rate",
                Svg.Axis.unit(),
                Svg.Axis.unit(),
                List.of(
                        Svg.Series.line("chance", Svg.MUTED, chance, chance),
                        Svg.Series.line("model", Svg.COLOURS[0], curves.falsePositiveRate(), curves.truePositiveRate()),
                        Svg.Series.point(operating, Svg.COLOURS[1], fpr, tpr)),
                List.of());
        String pr = Svg.chart(
                "precision-recall",
                "precision-recall curve",
                "recall",
                "precision",
                Svg.Axis.unit(),
                Svg.Axis.unit(),
                List.of(
                        Svg.Series.line("model", Svg.COLOURS[0], curves.truePositiveRate(), curves.precision()),
                        Svg.Series.point(operating, Svg.COLOURS[1], tpr, precision)),
                List.of());
        return section("ROC and precision-recall on the test split", roc + pr);
    }

    /** Predicted against actual with the diagonal, and the residuals' histogram, in the label's units. */
    public RunReport residuals(TestSample sample, String label) {
        double[] actual = TestSample.column(sample.actual(), 0);
        double[] predicted = TestSample.column(sample.predicted(), 0);
        double[] residuals = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            residuals[i] = actual[i] - predicted[i];
        }
        Svg.Axis both = Svg.Axis.around(DoubleStream.concat(DoubleStream.of(actual), DoubleStream.of(predicted)));
        double[] diagonal = {both.lo(), both.hi()};
        String scatter = Svg.chart(
                "predicted-vs-actual",
                "predicted against actual " + label,
                "actual",
                "predicted",
                both,
                both,
                List.of(
                        Svg.Series.line("exact", Svg.MUTED, diagonal, diagonal),
                        Svg.Series.dots(null, Svg.COLOURS[0], actual, predicted)),
                List.of());
        Svg.Histogram h = Svg.Histogram.of(BINS, List.of(residuals), 0);
        String histogram = Svg.chart(
                "residuals",
                "residuals (actual - predicted)",
                label,
                "rows",
                null,
                null,
                List.of(new Svg.Series(
                        null, Svg.COLOURS[0], h.edges(), h.counts().get(0), Svg.Mark.BARS)),
                List.of(new Svg.Marker("0", 0)));
        return section("Residuals on the test split (first " + actual.length + " rows)", scatter + histogram);
    }

    /**
     * Forecasts against actuals. With the forecast column's own history in the windows, the first {@link #WINDOWS}
     * test windows each as a picture: the history, then the actual next values and the forecast of them. Otherwise the
     * first step and the last step ahead over the first test windows, in the split's order.
     */
    public RunReport forecasts(TestSample sample, String label) {
        StringBuilder charts = new StringBuilder();
        int rows = sample.actual().length;
        int horizon = rows == 0 ? 1 : sample.actual()[0].length;
        if (sample.history() != null) {
            for (int r = 0; r < Math.min(WINDOWS, rows); r++) {
                double[] past = sample.history()[r];
                double[] before = IntStream.range(0, past.length)
                        .asDoubleStream()
                        .map(t -> t - (past.length - 1))
                        .toArray();
                // The future lines start at the last observed value, so that they join the history.
                double[] after =
                        IntStream.rangeClosed(0, horizon).asDoubleStream().toArray();
                charts.append(Svg.chart(
                        "forecast-window-" + (r + 1),
                        "test window " + (r + 1),
                        "step (0: last observed)",
                        label,
                        null,
                        null,
                        List.of(
                                Svg.Series.line("history", Svg.MUTED, before, past),
                                Svg.Series.line("actual", Svg.COLOURS[0], after, joined(past, sample.actual()[r])),
                                Svg.Series.line(
                                        "forecast", Svg.COLOURS[1], after, joined(past, sample.predicted()[r]))),
                        List.of()));
            }
            return section("Forecasts against actuals on test windows", charts.toString());
        }
        double[] x = IntStream.range(0, rows).asDoubleStream().toArray();
        for (int step : horizon == 1 ? new int[] {0} : new int[] {0, horizon - 1}) {
            charts.append(Svg.chart(
                    "forecast-step-" + (step + 1),
                    String.format(Locale.ROOT, "%s, %d step(s) ahead", label, step + 1),
                    "test window",
                    label,
                    null,
                    null,
                    List.of(
                            Svg.Series.line("actual", Svg.COLOURS[0], x, TestSample.column(sample.actual(), step)),
                            Svg.Series.line(
                                    "forecast", Svg.COLOURS[1], x, TestSample.column(sample.predicted(), step))),
                    List.of()));
        }
        return section("Forecasts against actuals (test windows in split order)", charts.toString());
    }

    private static double[] joined(double[] history, double[] future) {
        double[] out = new double[future.length + 1];
        out[0] = history[history.length - 1];
        System.arraycopy(future, 0, out, 1, future.length);
        return out;
    }

    /**
     * The histogram of reconstruction errors with the anomaly threshold; normal and anomalous rows apart, each as a
     * share of its own rows (anomalies are rare: in counts their bars would not show).
     */
    public RunReport reconstructionErrors(AnomalyDetection.Errors errors, double threshold, String score) {
        boolean labelled = errors.anomalous().length > 0;
        List<double[]> groups = labelled ? List.of(errors.normal(), errors.anomalous()) : List.of(errors.normal());
        Svg.Histogram h = Svg.Histogram.of(BINS, groups, threshold).shares();
        List<Svg.Series> bars = new ArrayList<>();
        bars.add(new Svg.Series(
                labelled ? "normal" : "all rows",
                Svg.COLOURS[0],
                h.edges(),
                h.counts().get(0),
                Svg.Mark.BARS));
        if (labelled) {
            bars.add(new Svg.Series(
                    "anomalous", Svg.COLOURS[1], h.edges(), h.counts().get(1), Svg.Mark.BARS));
        }
        String chart = Svg.chart(
                "reconstruction-errors",
                "reconstruction error (" + score + ") on the " + errors.split() + " split",
                score,
                "share of rows",
                null,
                null,
                bars,
                List.of(new Svg.Marker("threshold", threshold)));
        return section("Reconstruction errors", chart);
    }

    /** Generated rows over real ones, on two of their columns ({@code x} and {@code y}, named as given). */
    public RunReport generated(double[][] real, double[][] generated, int x, int y, String xName, String yName) {
        String chart = Svg.chart(
                "generated-vs-real",
                "generated against real rows",
                xName,
                yName,
                null,
                null,
                List.of(
                        Svg.Series.dots("real", Svg.COLOURS[0], TestSample.column(real, 0), TestSample.column(real, 1)),
                        Svg.Series.dots(
                                "generated",
                                Svg.COLOURS[1],
                                TestSample.column(generated, 0),
                                TestSample.column(generated, 1))),
                List.of());
        return section("Generated against real (test split, normalised units)", chart);
    }

    public String html() {
        return Page.close(new StringBuilder(page));
    }

    private RunReport section(String title, String charts) {
        page.append("<h2>")
                .append(Svg.esc(title))
                .append("</h2>\n<div class=\"charts\">")
                .append(charts)
                .append("</div>\n");
        return this;
    }
}
