package io.trainyard.report;

import io.trainyard.spec.check.SpecEnums;
import io.trainyard.sweep.Domain;
import io.trainyard.sweep.SweepProgress;
import io.trainyard.sweep.SweepScheduler;
import io.trainyard.sweep.SweepSpec;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the leaderboard,
 * the learning curves of the best trials and the metric against each swept key.
 */
public final class SweepReport {
    private static final int CURVES = 5;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};
    private static final int W = 420;
    private static final int H = 260;
    private static final int PAD = 44;

    private SweepReport() {}

    public static String html(String name, SweepSpec sweep, SweepScheduler.Result result, String testSummary) {
        String metric = SpecEnums.name(sweep.metric());
        List<TrialPlan> ranked = ranked(sweep, result);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep ")
                .append(esc(name))
                .append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
                        + "table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
                        + "text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}tr.best{background:#eef6ee}"
                        + "svg{margin:8px 16px 8px 0;border:1px solid #ddd}text{font:11px sans-serif}"
                        + ".charts{display:flex;flex-wrap:wrap}</style></head><body>\n");
        h.append("<h1>Sweep ")
                .append(esc(name))
                .append("</h1>\n<p>")
                .append(esc(SpecEnums.name(sweep.kind())))
                .append(" search, ")
                .append(result.plans().size())
                .append(" trials, ranked by validation ")
                .append(esc(metric))
                .append(" (")
                .append(SpecEnums.name(sweep.mode()))
                .append(")");
        result.best().ifPresent(b -> h.append("; best ").append(TrialPlan.name(b)));
        if (testSummary != null) {
            h.append("; its test split: ").append(esc(testSummary));
        }
        h.append("</p>\n");
        leaderboard(h, sweep, result, ranked, metric);
        h.append("<h2>Learning curves of the best trials</h2>\n<div class=\"charts\">");
        List<TrialPlan> top = ranked.stream()
                .filter(p -> result.outcomes().get(p.id()).succeeded())
                .limit(CURVES)
                .toList();
        h.append(curves(top, result, metric))
                .append("</div>\n<h2>Validation ")
                .append(esc(metric))
                .append(" against each swept key</h2>\n<div class=\"charts\">");
        sweep.space().domains().forEach((key, domain) -> h.append(scatter(key, domain, result, metric)));
        h.append("</div>\n</body></html>\n");
        return h.toString();
    }

    /** Succeeded trials best first, then the others by id. */
    private static List<TrialPlan> ranked(SweepSpec sweep, SweepScheduler.Result result) {
        Map<Boolean, List<TrialPlan>> bySuccess = result.plans().values().stream()
                .collect(Collectors.partitioningBy(
                        p -> result.outcomes().get(p.id()).succeeded()));
        return Stream.concat(
                        bySuccess.get(true).stream().sorted(sweep.mode().byBest(result.outcomes())),
                        bySuccess.get(false).stream().sorted(Comparator.comparingInt(TrialPlan::id)))
                .toList();
    }

    private static void leaderboard(
            StringBuilder h, SweepSpec sweep, SweepScheduler.Result result, List<TrialPlan> ranked, String metric) {
        h.append("<h2>Leaderboard</h2>\n<table><tr><th>rank</th><th class=\"l\">trial</th>");
        sweep.space()
                .domains()
                .keySet()
                .forEach(k -> h.append("<th class=\"l\">").append(esc(k)).append("</th>"));
        h.append("<th>validation ")
                .append(esc(metric))
                .append("</th><th>epochs</th><th>seconds</th>" + "<th class=\"l\">status</th></tr>\n");
        int rank = 0;
        for (TrialPlan p : ranked) {
            TrialOutcome o = result.outcomes().get(p.id());
            boolean best = result.best().map(b -> b == p.id()).orElse(false);
            h.append(best ? "<tr class=\"best\">" : "<tr>")
                    .append("<td>")
                    .append(o.succeeded() ? ++rank : "")
                    .append("</td><td class=\"l\">")
                    .append(p.name())
                    .append("</td>");
            sweep.space()
                    .domains()
                    .keySet()
                    .forEach(k -> h.append("<td class=\"l\">")
                            .append(esc(SweepProgress.format(p.params().get(k))))
                            .append("</td>"));
            h.append("<td>")
                    .append(o.succeeded() ? String.format(Locale.ROOT, "%.4f", o.best()) : "")
                    .append("</td><td>")
                    .append(o.epochsRun())
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", o.seconds()))
                    .append("</td><td class=\"l\">")
                    .append(esc(SpecEnums.name(o.status())))
                    .append(o.reason() == null ? "" : ": " + esc(o.reason()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String curves(List<TrialPlan> top, SweepScheduler.Result result, String metric) {
        if (top.isEmpty()) {
            return "<p>No trial succeeded.</p>";
        }
        DoubleSummaryStatistics ys = new DoubleSummaryStatistics();
        int epochs = 1;
        for (TrialPlan p : top) {
            List<Double> history = result.outcomes().get(p.id()).history();
            history.forEach(ys::accept);
            epochs = Math.max(epochs, history.size());
        }
        Axis x = new Axis(1, Math.max(2, epochs), false);
        Axis y = Axis.of(ys);
        StringBuilder s = frame("validation " + metric + " by epoch", "epoch", x, y);
        for (int i = 0; i < top.size(); i++) {
            List<Double> history = result.outcomes().get(top.get(i).id()).history();
            StringBuilder points = new StringBuilder();
            for (int e = 0; e < history.size(); e++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.px(e + 1, W), y.py(history.get(e), H)));
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(COLOURS[i])
                    .append("\" points=\"")
                    .append(points.toString().strip())
                    .append("\"/>");
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
                    W - 90,
                    18 + 14 * i,
                    COLOURS[i],
                    top.get(i).name()));
        }
        return s.append("</svg>").toString();
    }

    private static String scatter(String key, Domain domain, SweepScheduler.Result result, String metric) {
        List<TrialPlan> ok = result.plans().values().stream()
                .filter(p -> result.outcomes().get(p.id()).succeeded())
                .toList();
        if (ok.isEmpty()) {
            return "";
        }
        boolean numeric = ok.stream().allMatch(p -> p.params().get(key) instanceof Number);
        List<String> categories = new ArrayList<>();
        if (!numeric) {
            ok.forEach(p -> {
                String c = SweepProgress.format(p.params().get(key));
                if (!categories.contains(c)) {
                    categories.add(c);
                }
            });
        }
        DoubleSummaryStatistics xs = new DoubleSummaryStatistics();
        DoubleSummaryStatistics ys = new DoubleSummaryStatistics();
        ok.forEach(p -> ys.accept(result.outcomes().get(p.id()).best()));
        if (numeric) {
            ok.forEach(p -> xs.accept(((Number) p.params().get(key)).doubleValue()));
        }
        boolean log = domain instanceof Domain.LogUniform && xs.getMin() > 0;
        Axis x = numeric
                ? (xs.getMax() > xs.getMin()
                        ? new Axis(xs.getMin(), xs.getMax(), log)
                        : new Axis(xs.getMin() - 1, xs.getMax() + 1, false))
                : new Axis(-0.5, categories.size() - 0.5, false);
        Axis y = Axis.of(ys);
        StringBuilder s = frame(key, key + (log ? " (log scale)" : ""), x, y);
        if (!numeric) {
            for (int i = 0; i < categories.size(); i++) {
                s.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                        x.px(i, W),
                        H - PAD + 14,
                        esc(categories.get(i))));
            }
        }
        Optional<Integer> best = result.best();
        for (TrialPlan p : ok) {
            Object v = p.params().get(key);
            double xv = numeric ? ((Number) v).doubleValue() : categories.indexOf(SweepProgress.format(v));
            boolean isBest = best.map(b -> b == p.id()).orElse(false);
            s.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>%s: %.4f" + "</title></circle>",
                    x.px(xv, W),
                    y.py(result.outcomes().get(p.id()).best(), H),
                    isBest ? 6 : 4,
                    isBest ? "#d62728" : "#1f77b4",
                    p.name(),
                    result.outcomes().get(p.id()).best()));
        }
        return s.append("</svg>").toString();
    }

    private static StringBuilder frame(String title, String xLabel, Axis x, Axis y) {
        StringBuilder s = new StringBuilder(
                String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\"><title>%s</title>", W, H, esc(title)));
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
                PAD,
                H - PAD,
                W - 10,
                H - PAD,
                PAD,
                10,
                PAD,
                H - PAD));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                (W + PAD) / 2,
                H - 8,
                esc(xLabel)));
        for (double v : new double[] {y.lo, (y.lo + y.hi) / 2, y.hi}) {
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>",
                    PAD - 4,
                    y.py(v, H) + 4,
                    v));
        }
        if (!x.log && x.hi - x.lo > 1.5 || x.log) {
            for (double v : new double[] {x.lo, x.hi}) {
                s.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.4g</text>",
                        x.px(v, W),
                        H - PAD + 14,
                        v));
            }
        }
        return s;
    }

    /** A linear or logarithmic mapping of [lo, hi] onto the plot area. */
    private record Axis(double lo, double hi, boolean log) {
        static Axis of(DoubleSummaryStatistics s) {
            double span = s.getMax() - s.getMin();
            double margin = span > 0 ? span * 0.05 : Math.max(1e-3, Math.abs(s.getMax()) * 0.05);
            return new Axis(s.getMin() - margin, s.getMax() + margin, false);
        }

        double fraction(double v) {
            return log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
        }

        double px(double v, int width) {
            return PAD + fraction(v) * (width - PAD - 20);
        }

        double py(double v, int height) {
            return height - PAD - fraction(v) * (height - PAD - 10);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
