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
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the leaderboard,
 * every trial's learning curve (the best five named) and the metric against each swept key.
 */
public final class SweepReport {
    private static final int CURVES = 5;

    private SweepReport() {}

    public static String html(String name, SweepSpec sweep, SweepScheduler.Result result, String testSummary) {
        String metric = SpecEnums.name(sweep.metric());
        List<TrialPlan> ranked = ranked(sweep, result);
        StringBuilder h = Page.open("Sweep " + name);
        h.append("<p>")
                .append(esc(sweep.describe()))
                .append(", ")
                .append(result.plans().size())
                .append(" trials, ranked by validation ")
                .append(esc(metric))
                .append(" (")
                .append(SpecEnums.name(sweep.mode()))
                .append(")");
        result.best().ifPresent(b -> h.append("; best ").append(TrialPlan.name(b)));
        if (testSummary != null) {
            h.append("; its test split: ")
                    .append(esc(testSummary))
                    .append(" (<a href=\"best/report.html\">the best trial's report</a>)");
        }
        h.append("</p>\n");
        leaderboard(h, sweep, result, ranked, metric);
        h.append("<h2>Learning curves of every trial</h2>\n<div class=\"charts\">");
        List<TrialPlan> succeeded = ranked.stream()
                .filter(p -> result.outcomes().get(p.id()).succeeded())
                .toList();
        h.append(curves(succeeded, result, metric))
                .append("</div>\n<h2>The search, trial by trial</h2>\n<div class=\"charts\">")
                .append(progress(sweep, result, metric));
        sweep.space().domains().forEach((key, domain) -> h.append(choices(key, domain, result)));
        h.append("</div>\n<h2>Validation ")
                .append(esc(metric))
                .append(" against each swept key</h2>\n<div class=\"charts\">");
        sweep.space().domains().forEach((key, domain) -> h.append(scatter(key, domain, result, metric)));
        h.append("</div>\n");
        return Page.close(h);
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
        h.append("<h2>Leaderboard</h2>\n<table data-chart=\"leaderboard\"><tr><th>rank</th><th class=\"l\">trial</th>");
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

    /** Every succeeded trial's validation curve: the best {@value #CURVES} in colour and named, the rest muted. */
    private static String curves(List<TrialPlan> succeeded, SweepScheduler.Result result, String metric) {
        if (succeeded.isEmpty()) {
            return "<p>No trial succeeded.</p>";
        }
        List<Svg.Series> series = new ArrayList<>();
        for (int i = succeeded.size() - 1; i >= 0; i--) {
            double[] history = result.outcomes().get(succeeded.get(i).id()).history().stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray();
            double[] epochs =
                    IntStream.rangeClosed(1, history.length).asDoubleStream().toArray();
            series.add(
                    i < CURVES
                            ? Svg.Series.line(succeeded.get(i).name(), Svg.COLOURS[i], epochs, history)
                            : Svg.Series.line(null, Svg.MUTED, epochs, history));
        }
        int epochs = succeeded.stream()
                .mapToInt(p -> result.outcomes().get(p.id()).history().size())
                .max()
                .orElse(1);
        return Svg.chart(
                "trial-curves",
                "validation " + metric + " by epoch, every trial",
                "epoch",
                metric,
                Svg.Axis.epochs(epochs),
                null,
                series,
                List.of());
    }

    /**
     * Each trial's validation metric (at the largest budget it reached) against the order trials were planned in,
     * with the best so far as a line: how fast the search found what it found.
     */
    private static String progress(SweepSpec sweep, SweepScheduler.Result result, String metric) {
        List<TrialPlan> inOrder = result.plans().values().stream()
                .filter(p -> result.outcomes().get(p.id()).succeeded())
                .sorted(Comparator.comparingInt(TrialPlan::id))
                .toList();
        if (inOrder.isEmpty()) {
            return "";
        }
        double[] ids = inOrder.stream().mapToDouble(TrialPlan::id).toArray();
        double[] values = inOrder.stream()
                .mapToDouble(p -> result.outcomes().get(p.id()).best())
                .toArray();
        double[] bestSoFar = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            bestSoFar[i] = i == 0 || sweep.mode().better(values[i], bestSoFar[i - 1]) ? values[i] : bestSoFar[i - 1];
        }
        return Svg.chart(
                "search-progress",
                "validation " + metric + " by trial, and the best so far",
                "trial (planned order)",
                metric,
                null,
                null,
                List.of(
                        Svg.Series.dots("trial", Svg.COLOURS[0], ids, values),
                        Svg.Series.line("best so far", Svg.COLOURS[1], ids, bestSoFar)),
                List.of());
    }

    /** The values the sampler chose for {@code key}, trial by trial: where the search went over time. */
    private static String choices(String key, Domain domain, SweepScheduler.Result result) {
        List<TrialPlan> inOrder = result.plans().values().stream()
                .sorted(Comparator.comparingInt(TrialPlan::id))
                .toList();
        double[] ids = inOrder.stream().mapToDouble(TrialPlan::id).toArray();
        KeyAxis y = KeyAxis.of(key, domain, inOrder);
        return Svg.chart(
                "choices-" + key,
                key + " chosen, trial by trial",
                "trial (planned order)",
                key + (y.log() ? " (log scale)" : ""),
                null,
                y.axis(),
                List.of(Svg.Series.dots(null, Svg.COLOURS[2], ids, y.positions())),
                List.of());
    }

    private static String scatter(String key, Domain domain, SweepScheduler.Result result, String metric) {
        List<TrialPlan> ok = result.plans().values().stream()
                .filter(p -> result.outcomes().get(p.id()).succeeded())
                .toList();
        if (ok.isEmpty()) {
            return "";
        }
        KeyAxis x = KeyAxis.of(key, domain, ok);
        double[] xs = x.positions();
        double[] ys = ok.stream()
                .mapToDouble(p -> result.outcomes().get(p.id()).best())
                .toArray();
        List<Svg.Series> series = new ArrayList<>(List.of(Svg.Series.dots(null, Svg.COLOURS[0], xs, ys)));
        result.best().ifPresent(b -> {
            TrialPlan best = result.plans().get(b);
            int at = ok.indexOf(best);
            if (at >= 0) {
                series.add(Svg.Series.point("best: " + best.name(), Svg.COLOURS[1], xs[at], ys[at]));
            }
        });
        return Svg.chart(
                "param-" + key,
                metric + " against " + key,
                key + (x.log() ? " (log scale)" : ""),
                metric,
                x.axis(),
                null,
                series,
                List.of());
    }

    /**
     * Where each trial's value of a swept key sits on a chart axis: the number itself (on a log axis for a loguniform
     * key, with a margin so that the extreme trials are not drawn on the frame), or the index of its category.
     */
    private record KeyAxis(double[] positions, Svg.Axis axis, boolean log) {
        static KeyAxis of(String key, Domain domain, List<TrialPlan> plans) {
            boolean numeric = plans.stream().allMatch(p -> p.params().get(key) instanceof Number);
            List<String> categories = plans.stream()
                    .map(p -> SweepProgress.format(p.params().get(key)))
                    .distinct()
                    .toList();
            double[] positions = plans.stream()
                    .mapToDouble(p -> numeric
                            ? ((Number) p.params().get(key)).doubleValue()
                            : categories.indexOf(SweepProgress.format(p.params().get(key))))
                    .toArray();
            DoubleSummaryStatistics range = DoubleStream.of(positions).summaryStatistics();
            boolean log = numeric && domain instanceof Domain.LogUniform && range.getMin() > 0;
            Svg.Axis axis = !numeric
                    ? Svg.Axis.categories(categories)
                    : log ? new Svg.Axis(range.getMin() / 1.15, range.getMax() * 1.15, true) : null;
            return new KeyAxis(positions, axis, log);
        }
    }

    private static String esc(String s) {
        return Svg.esc(s);
    }
}
