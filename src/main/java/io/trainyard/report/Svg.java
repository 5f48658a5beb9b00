package io.trainyard.report;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.stream.DoubleStream;

/**
 * Inline SVG charts drawn from numbers: lines, points and histograms on linear or logarithmic axes, with a title, axis
 * labels and a legend. Each chart is an {@code <svg class="chart" data-chart="id">} so that a page's charts can be
 * found and checked; nothing is fetched and no script runs.
 */
final class Svg {
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    static final String MUTED = "#b8c4d0";
    static final int W = 420;
    static final int H = 280;
    private static final int PAD = 56;
    private static final int TOP = 40;

    private Svg() {}

    /** How a series is drawn; a POINT is a dot large enough to mark one place (an operating point). */
    enum Mark {
        LINE,
        DOTS,
        POINT,
        BARS
    }

    /**
     * One series of a chart. For {@link Mark#BARS}, {@code x} holds the bins' left edges and the last right edge
     * ({@code x.length == y.length + 1}).
     *
     * @param name its legend entry; null for none
     */
    record Series(String name, String colour, double[] x, double[] y, Mark mark) {
        static Series line(String name, String colour, double[] x, double[] y) {
            return new Series(name, colour, x, y, Mark.LINE);
        }

        static Series dots(String name, String colour, double[] x, double[] y) {
            return new Series(name, colour, x, y, Mark.DOTS);
        }

        static Series point(String name, String colour, double x, double y) {
            return new Series(name, colour, new double[] {x}, new double[] {y}, Mark.POINT);
        }
    }

    /** A vertical marker (a threshold) at {@code x}. */
    record Marker(String name, double x) {}

    /**
     * A linear or logarithmic mapping of [lo, hi] onto the plot area.
     *
     * @param labels for categories: the label of each whole position 0, 1, ...; null for a numeric axis
     * @param whole  ticks only at whole numbers (epochs)
     */
    record Axis(double lo, double hi, boolean log, List<String> labels, boolean whole) {
        Axis(double lo, double hi, boolean log) {
            this(lo, hi, log, null, false);
        }

        /** Categories at positions 0, 1, ... */
        static Axis categories(List<String> labels) {
            return new Axis(-0.5, labels.size() - 0.5, false, List.copyOf(labels), false);
        }

        /** Epochs 1 to {@code last}. */
        static Axis epochs(int last) {
            return new Axis(0.8, Math.max(2, last) + 0.2, false, null, true);
        }

        /** The values' range with a 5% margin (a unit wide around a single value). */
        static Axis around(DoubleStream values) {
            DoubleSummaryStatistics s = values.filter(Double::isFinite).summaryStatistics();
            if (s.getCount() == 0) {
                return new Axis(0, 1, false);
            }
            double span = s.getMax() - s.getMin();
            double margin = span > 0 ? span * 0.05 : Math.max(1e-3, Math.abs(s.getMax()) * 0.05);
            return new Axis(s.getMin() - margin, s.getMax() + margin, false);
        }

        static Axis unit() {
            return new Axis(0, 1, false);
        }

        double fraction(double v) {
            return log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
        }

        double px(double v) {
            return PAD + fraction(v) * (W - PAD - 28);
        }

        double py(double v) {
            return H - PAD - fraction(v) * (H - PAD - TOP);
        }
    }

    /** A chart of {@code series} on the given axes; null axes span the series' values. */
    static String chart(
            String id,
            String title,
            String xLabel,
            String yLabel,
            Axis x,
            Axis y,
            List<Series> series,
            List<Marker> markers) {
        Axis xa = x != null ? x : Axis.around(series.stream().flatMapToDouble(s -> DoubleStream.of(s.x())));
        Axis ya = y != null
                ? y
                : Axis.around(DoubleStream.concat(
                        series.stream().flatMapToDouble(s -> DoubleStream.of(s.y())),
                        series.stream().anyMatch(s -> s.mark() == Mark.BARS)
                                ? DoubleStream.of(0)
                                : DoubleStream.empty()));
        StringBuilder s = frame(id, title, xLabel, yLabel, xa, ya);
        for (Series one : series) {
            switch (one.mark()) {
                case LINE -> line(s, one, xa, ya);
                case DOTS -> dots(s, one, xa, ya, 2.5, 0.55);
                case POINT -> dots(s, one, xa, ya, 5, 1);
                case BARS -> bars(s, one, xa, ya);
            }
        }
        for (Marker m : markers) {
            double px = xa.px(m.x());
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\" stroke-dasharray=\"4 3\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">%s</text>",
                    px,
                    TOP,
                    px,
                    H - PAD,
                    px + 4,
                    H - PAD - 6,
                    esc(m.name())));
        }
        legend(s, series);
        return s.append("</svg>").toString();
    }

    private static void line(StringBuilder s, Series one, Axis x, Axis y) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < one.x().length; i++) {
            if (Double.isFinite(one.y()[i])) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.px(one.x()[i]), y.py(one.y()[i])));
            }
        }
        s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                .append(one.colour())
                .append("\" points=\"")
                .append(points.toString().strip())
                .append("\"/>");
    }

    private static void dots(StringBuilder s, Series one, Axis x, Axis y, double radius, double opacity) {
        s.append(String.format(Locale.ROOT, "<g fill=\"%s\" fill-opacity=\"%.2f\">", one.colour(), opacity));
        for (int i = 0; i < one.x().length; i++) {
            if (Double.isFinite(one.x()[i]) && Double.isFinite(one.y()[i])) {
                s.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>",
                        x.px(one.x()[i]),
                        y.py(one.y()[i]),
                        radius));
            }
        }
        s.append("</g>");
    }

    private static void bars(StringBuilder s, Series one, Axis x, Axis y) {
        s.append("<g fill=\"").append(one.colour()).append("\" fill-opacity=\"0.6\">");
        for (int i = 0; i < one.y().length; i++) {
            double left = x.px(one.x()[i]);
            double right = x.px(one.x()[i + 1]);
            double top = y.py(one.y()[i]);
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                    left,
                    top,
                    Math.max(0.5, right - left - 0.5),
                    Math.max(0, y.py(0) - top)));
        }
        s.append("</g>");
    }

    /** The legend in one line between the title and the plot, where it covers nothing drawn. */
    private static void legend(StringBuilder s, List<Series> series) {
        int x = PAD;
        for (Series one : series) {
            if (one.name() != null) {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                                + "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
                        x,
                        TOP - 13,
                        one.colour(),
                        x + 13,
                        TOP - 9,
                        one.colour(),
                        esc(one.name())));
                // About 6 pixels per character of 11px sans-serif.
                x += 13 + 6 * one.name().length() + 12;
            }
        }
    }

    /** The chart's box, title, axes, axis labels and tick values. */
    static StringBuilder frame(String id, String title, String xLabel, String yLabel, Axis x, Axis y) {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" data-chart=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                        + "<title>%s</title><text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>",
                esc(id),
                W,
                H,
                W,
                H,
                esc(title),
                PAD,
                esc(title)));
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                PAD,
                H - PAD,
                W - 20,
                H - PAD,
                PAD,
                TOP,
                PAD,
                H - PAD));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                        + "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                (W + PAD) / 2,
                H - 10,
                esc(xLabel),
                (H - PAD + TOP) / 2,
                esc(yLabel)));
        for (double v : ticks(y)) {
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    PAD - 4,
                    y.py(v) + 4,
                    y.labels() == null ? number(v) : esc(y.labels().get((int) v))));
        }
        for (double v : ticks(x)) {
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x.px(v),
                    H - PAD + 14,
                    x.labels() == null ? number(v) : esc(x.labels().get((int) v))));
        }
        return s;
    }

    /** Category positions; three points of a log axis; otherwise multiples of 1, 2 or 5 times a power of ten. */
    private static List<Double> ticks(Axis a) {
        List<Double> out = new ArrayList<>();
        if (a.labels() != null) {
            for (int i = 0; i < a.labels().size(); i++) {
                out.add((double) i);
            }
        } else if (a.log()) {
            out.add(a.lo());
            out.add(Math.sqrt(a.lo() * a.hi()));
            out.add(a.hi());
        } else {
            double raw = (a.hi() - a.lo()) / 4;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double norm = raw / magnitude;
            double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
            step = a.whole() ? Math.max(1, Math.round(step)) : step;
            for (double v = Math.ceil(a.lo() / step) * step; v <= a.hi() + step * 1e-9; v += step) {
                out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
            }
        }
        return out;
    }

    /** A tick's value: up to four significant digits without trailing zeros, or an exponent for extremes. */
    static String number(double v) {
        if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** Equal-width bins over the values' range: {@code edges} (bins + 1) and per-bin counts of each group. */
    record Histogram(double[] edges, List<double[]> counts) {
        static Histogram of(int bins, List<double[]> groups, double... alsoCover) {
            DoubleSummaryStatistics s = DoubleStream.concat(
                            groups.stream().flatMapToDouble(DoubleStream::of), DoubleStream.of(alsoCover))
                    .filter(Double::isFinite)
                    .summaryStatistics();
            double lo = s.getCount() == 0 ? 0 : s.getMin();
            double hi = s.getCount() == 0 ? 1 : s.getMax();
            if (hi <= lo) {
                hi = lo + 1;
            }
            double[] edges = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                edges[i] = lo + (hi - lo) * i / bins;
            }
            List<double[]> counts = new ArrayList<>();
            for (double[] g : groups) {
                double[] c = new double[bins];
                for (double v : g) {
                    if (Double.isFinite(v)) {
                        c[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
                    }
                }
                counts.add(c);
            }
            return new Histogram(edges, counts);
        }

        /** Each group's counts divided by its rows. */
        Histogram shares() {
            List<double[]> out = new ArrayList<>();
            for (double[] c : counts) {
                double total = DoubleStream.of(c).sum();
                out.add(DoubleStream.of(c).map(v -> total == 0 ? 0 : v / total).toArray());
            }
            return new Histogram(edges, out);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
