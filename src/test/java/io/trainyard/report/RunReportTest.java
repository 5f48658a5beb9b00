package io.trainyard.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.evaluate.ClassMetrics;
import io.trainyard.evaluate.Metrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {
    /** Class names and labels come from other people's data: the page shows them, it never runs them. */
    @Test
    void namesFromTheDataAreEscaped() {
        String hostile = "<img src=x onerror=alert(1)>";
        Metrics test = Metrics.classification(
                4,
                0.5,
                0.5,
                0.5,
                null,
                List.of(new ClassMetrics("a", 0.5, 0.5, 0.5, 2), new ClassMetrics(hostile, 0.5, 0.5, 0.5, 2)),
                new long[][] {{1, 1}, {1, 1}});
        String html = RunReport.titled("Run " + hostile, "label " + hostile)
                .learningCurves(
                        List.of(new RunReport.EpochChart(
                                "loss", hostile, hostile, Map.of(hostile, new double[] {1, 0.5}))),
                        2)
                .confusion(test)
                .html();
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertFalse(html.contains("<script"));
    }

    @Test
    void ticksAreRoundNumbers() {
        assertTrue(Svg.chart(
                        "c",
                        "t",
                        "x",
                        "y",
                        new Svg.Axis(0.85, 4.15, false),
                        new Svg.Axis(0.6373, 0.8219, false),
                        List.of(Svg.Series.line("s", "#000", new double[] {1, 4}, new double[] {0.7, 0.8})),
                        List.of())
                .contains(">0.65<"));
        assertTrue(Svg.number(3.0000000000000004).equals("3"));
        assertTrue(Svg.number(0.00012).equals("1.20e-04"));
    }
}
