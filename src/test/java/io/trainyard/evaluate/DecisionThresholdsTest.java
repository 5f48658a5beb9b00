package io.trainyard.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.model.DecisionThreshold;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The threshold that maximises F1, against a brute force over the raw scores; and the histogram it reads. */
class DecisionThresholdsTest {
    @Test
    void theChosenThresholdHasTheBestF1OfEveryCandidateComputedRowByRow() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 5_000;
        double[] p = new double[n];
        boolean[] positive = new boolean[n];
        long[] pos = new long[PositiveScores.BINS];
        long[] neg = new long[PositiveScores.BINS];
        for (int r = 0; r < n; r++) {
            positive[r] = random.nextDouble() < 0.05;
            // Positives score higher on average, both classes spread over [0, 1).
            p[r] = Math.min(0.999, Math.pow(random.nextDouble(), positive[r] ? 1.5 : 6));
            (positive[r] ? pos : neg)[PositiveScores.bin(p[r])]++;
        }
        DecisionThresholds.Choice choice = DecisionThresholds.maximiseF1(pos, neg);
        double best = -1;
        for (int i = 1; i < PositiveScores.BINS; i++) {
            best = Math.max(best, f1(p, positive, (double) i / PositiveScores.BINS));
        }
        assertEquals(best, choice.f1(), 1e-12);
        assertEquals(best, f1(p, positive, choice.threshold()), 1e-12);
        assertEquals(true, choice.threshold() < 0.5, "5% positives: " + choice);
    }

    /** F1 of the positive class when a row is called positive at or above {@code t}, by counting rows. */
    private static double f1(double[] p, boolean[] positive, double t) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int r = 0; r < p.length; r++) {
            boolean called = PositiveScores.bin(p[r]) >= PositiveScores.bin(t);
            tp += called && positive[r] ? 1 : 0;
            fp += called && !positive[r] ? 1 : 0;
            fn += !called && positive[r] ? 1 : 0;
        }
        return 2.0 * tp / (2 * tp + fp + fn);
    }

    @Test
    void withNothingToGainTheThresholdStaysAtOneHalf() {
        long[] pos = new long[PositiveScores.BINS];
        long[] neg = new long[PositiveScores.BINS];
        pos[PositiveScores.BINS - 1] = 10;
        neg[0] = 10;
        // Every threshold in (0, 1) separates the classes perfectly: the tie goes to 0.5.
        assertEquals(new DecisionThresholds.Choice(0.5, 1.0), DecisionThresholds.maximiseF1(pos, neg));
    }

    @Test
    void scoresAreBinnedByLabelFromOneSigmoidColumnOrTheSecondSoftmaxColumn() {
        PositiveScores sigmoid = new PositiveScores();
        sigmoid.eval(
                Nd4j.createFromArray(new float[][] {{1}, {0}, {1}}),
                Nd4j.createFromArray(new float[][] {{0.9f}, {0.2f}, {1.0f}}));
        PositiveScores softmax = new PositiveScores();
        softmax.eval(Nd4j.createFromArray(new float[][] {{0, 1}, {1, 0}, {0, 1}}), Nd4j.createFromArray(new float[][] {
            {0.1f, 0.9f}, {0.8f, 0.2f}, {0f, 1.0f}
        }));
        for (PositiveScores s : new PositiveScores[] {sigmoid, softmax}) {
            long[] pos = s.positives();
            long[] neg = s.negatives();
            assertEquals(1, pos[PositiveScores.bin(0.9f)]);
            assertEquals(1, pos[PositiveScores.BINS - 1]);
            assertEquals(1, neg[PositiveScores.bin(0.2f)]);
            assertEquals(2, java.util.Arrays.stream(pos).sum());
            assertEquals(1, java.util.Arrays.stream(neg).sum());
        }
        sigmoid.merge(softmax);
        assertEquals(4, java.util.Arrays.stream(sigmoid.positives()).sum());
        assertEquals(2, java.util.Arrays.stream(sigmoid.negatives()).sum());
    }

    @Test
    void theKeyIsAutoOrAProbability() {
        assertEquals(new DecisionThreshold(true, 0.5), DecisionThreshold.parse("auto"));
        assertEquals(new DecisionThreshold(false, 0.3), DecisionThreshold.parse("0.3"));
        assertEquals(
                "model.threshold must be auto or a probability in (0, 1), got 1.0",
                assertThrows(SpecException.class, () -> DecisionThreshold.parse("1"))
                        .getMessage());
        assertEquals(
                "model.threshold must be auto or a probability in (0, 1), got 'best'",
                assertThrows(SpecException.class, () -> DecisionThreshold.parse("best"))
                        .getMessage());
    }
}
