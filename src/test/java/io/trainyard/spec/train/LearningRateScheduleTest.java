package io.trainyard.spec.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trainyard.spec.check.SpecException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each schedule's rate per epoch against its formula, written out by hand. */
class LearningRateScheduleTest {
    private static LearningRateSchedule of(LearningRateSchedule.Type type, int warmup) {
        return new LearningRateSchedule(type, warmup, 3, 0.5, 0.9, 2, 0, 0.0);
    }

    private static List<Double> rates(LearningRateSchedule s, int epochs, List<Boolean> improved) {
        List<Double> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            out.add(Math.round(s.rate(0.1, e, epochs, improved) * 1e12) / 1e12);
        }
        return out;
    }

    @Test
    void noneIsTheBaseRateAndWarmUpRisesLinearlyToIt() {
        assertEquals(List.of(0.1, 0.1, 0.1), rates(of(LearningRateSchedule.Type.NONE, 0), 3, List.of()));
        // Two warm-up epochs: 0.1 * 1/3, 0.1 * 2/3, then the base rate.
        assertEquals(
                List.of(0.033333333333, 0.066666666667, 0.1, 0.1),
                rates(of(LearningRateSchedule.Type.NONE, 2), 4, List.of()));
    }

    @Test
    void stepHalvesEveryThreeEpochs() {
        assertEquals(
                List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025),
                rates(of(LearningRateSchedule.Type.STEP, 0), 7, List.of()));
        // After one warm-up epoch the steps count from the first scheduled epoch.
        assertEquals(List.of(0.05, 0.1, 0.1, 0.1, 0.05), rates(of(LearningRateSchedule.Type.STEP, 1), 5, List.of()));
    }

    @Test
    void exponentialMultipliesByTheDecayEachEpoch() {
        assertEquals(
                List.of(0.1, 0.09, 0.081, 0.0729), rates(of(LearningRateSchedule.Type.EXPONENTIAL, 0), 4, List.of()));
    }

    @Test
    void cosineFallsFromTheBaseTowardsTheFloorOverTheEpochs() {
        // 4 epochs: 0.1 * (1 + cos(pi * j / 4)) / 2 for j = 0..3; with a floor of 0.01 over 2 epochs, 0.01 + 0.09 * ...
        List<Double> expected = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            expected.add(Math.round(0.1 * (1 + Math.cos(Math.PI * j / 4)) / 2 * 1e12) / 1e12);
        }
        assertEquals(expected, rates(of(LearningRateSchedule.Type.COSINE, 0), 4, List.of()));
        assertEquals(
                List.of(0.1, 0.055, 0.01, 0.01),
                rates(
                                new LearningRateSchedule(LearningRateSchedule.Type.COSINE, 0, 3, 0.5, 0.9, 2, 2, 0.01),
                                4,
                                List.of())
                        .stream()
                        .map(r -> Math.round(r * 1e9) / 1e9)
                        .toList());
    }

    @Test
    void plateauHalvesAfterTwoEpochsWithoutImprovementAndCountsAgain() {
        // Improvements at epochs 1, 2, then none: halved before epoch 5 and again before epoch 7.
        List<Boolean> improved = List.of(true, true, false, false, false, false, true, false);
        assertEquals(
                List.of(0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025),
                rates(of(LearningRateSchedule.Type.PLATEAU, 0), 9, improved));
    }

    @Test
    void badKeysAreRefusedByName() {
        assertEquals(
                "train.schedule-factor must be in (0, 1), got 1.5",
                assertThrows(
                                SpecException.class,
                                () -> new LearningRateSchedule(LearningRateSchedule.Type.STEP, 0, 3, 1.5, 0.9, 2, 0, 0))
                        .getMessage());
    }
}
