package io.trainyard.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.factory.Nd4j;

/** Metrics from confusion matrices computed by hand, including models that never predict some classes. */
class ConfusionMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void macroF1CountsClassesThatAreNeverPredictedAsZero() {
        // 5 classes; the model predicts only classes 2 and 4.
        long[][] confusion = {
            {0, 0, 8, 0, 2},
            {0, 0, 3, 0, 1},
            {0, 0, 50, 0, 5},
            {0, 0, 1, 0, 1},
            {0, 0, 6, 0, 40}
        };
        List<ClassMetrics> perClass = ConfusionMetrics.perClass(confusion, List.of("a", "b", "c", "d", "e"));
        // Class c: precision 50 / 68, recall 50 / 55; class e: precision 40 / 49, recall 40 / 46.
        double f1c = 2 * (50.0 / 68) * (50.0 / 55) / (50.0 / 68 + 50.0 / 55);
        double f1e = 2 * (40.0 / 49) * (40.0 / 46) / (40.0 / 49 + 40.0 / 46);
        assertEquals(0, perClass.get(0).f1());
        assertEquals(f1c, perClass.get(2).f1(), EPS);
        assertEquals(f1e, perClass.get(4).f1(), EPS);
        assertEquals((f1c + f1e) / 5, ConfusionMetrics.macroF1(perClass), EPS);
        assertEquals(90.0 / 117, ConfusionMetrics.accuracy(confusion), EPS);
        assertEquals(10, perClass.get(0).support());
        assertEquals(0, perClass.get(1).precision());
    }

    @Test
    void aBinaryTaskReportsBothClassesInTheMacroAndThePositiveClassByName() {
        // 80/20 labels, a model that rarely says yes: TN 780, FP 20, FN 150, TP 50.
        long[][] confusion = {{780, 20}, {150, 50}};
        Metrics m = Metrics.classification(
                1000,
                0.5,
                ConfusionMetrics.accuracy(confusion),
                ConfusionMetrics.macroF1(ConfusionMetrics.perClass(confusion, List.of("no", "yes"))),
                0.7,
                ConfusionMetrics.perClass(confusion, List.of("no", "yes")),
                confusion);
        double f1No = 2 * 780.0 / (2 * 780 + 20 + 150);
        double f1Yes = 2 * 50.0 / (2 * 50 + 20 + 150);
        assertEquals((f1No + f1Yes) / 2, m.macroF1(), EPS);
        assertEquals("yes", m.positiveClass());
        assertEquals(f1Yes, m.positiveF1(), EPS);
        assertEquals(50.0 / 70, m.positivePrecision(), EPS);
        assertEquals(50.0 / 200, m.positiveRecall(), EPS);
        assertEquals(0.83, m.accuracy(), EPS);
    }

    @Test
    void theEvaluatorTakesOnlyDl4jsCountsNotItsAverages() {
        // One sigmoid output, as Trainyard's binary models have: DL4J's f1() would be the positive class's alone.
        Evaluation e = new Evaluation(new ArrayList<>(List.of("no", "yes")));
        e.eval(
                Nd4j.createFromArray(new float[][] {{0}, {0}, {0}, {1}, {1}}),
                Nd4j.createFromArray(new float[][] {{0.1f}, {0.2f}, {0.7f}, {0.9f}, {0.3f}}));
        Metrics m = Evaluator.fromEvaluation(e, 0.4, null, List.of("no", "yes"));
        assertEquals(new long[][] {{2, 1}, {1, 1}}[0][1], m.confusion()[0][1]);
        double f1No = 2 * 2.0 / (2 * 2 + 1 + 1);
        double f1Yes = 2 * 1.0 / (2 * 1 + 1 + 1);
        assertEquals((f1No + f1Yes) / 2, m.macroF1(), EPS);
        assertEquals(f1Yes, e.f1(), EPS, "DL4J's binary f1() is the positive class's");
        // With a class never predicted, DL4J's macro average leaves it out; Trainyard's does not.
        Evaluation three = new Evaluation(new ArrayList<>(List.of("a", "b", "c")));
        three.eval(
                Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}}),
                Nd4j.createFromArray(new float[][] {{.8f, .1f, .1f}, {.1f, .8f, .1f}, {.6f, .3f, .1f}, {.9f, 0, .1f}}));
        Metrics m3 = Evaluator.fromEvaluation(three, 0.4, null, List.of("a", "b", "c"));
        double f1a = 2 * 2.0 / (2 * 2 + 1 + 0);
        assertEquals((f1a + 1.0 + 0) / 3, m3.macroF1(), EPS);
        assertEquals((f1a + 1.0) / 2, three.f1(EvaluationAveraging.Macro), EPS);
    }
}
