package io.trainyard.data.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trainyard.spec.data.NormalizeMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    private static final ColumnMoments X = new ColumnMoments("x", 10, 10, 5.0, 4.0, 1.0, 9.0);
    private static final ColumnMoments CONSTANT = new ColumnMoments("c", 10, 10, 3.0, 0.0, 3.0, 3.0);

    @Test
    void standardCentersOnTheMeanAndScalesBySd() {
        NormalizerStats stats = Normalizer.fit(NormalizeMethod.STANDARD, List.of(X), false);
        assertEquals(5.0, stats.center().get(0));
        assertEquals(2.0, stats.scale().get(0));
        assertEquals(1.5, stats.apply(0, 8.0));
    }

    @Test
    void minmaxMapsTrainRangeToUnitInterval() {
        NormalizerStats stats = Normalizer.fit(NormalizeMethod.MINMAX, List.of(X), false);
        assertEquals(0.0, stats.apply(0, 1.0));
        assertEquals(1.0, stats.apply(0, 9.0));
    }

    @Test
    void constantColumnsMapToZeroNotNaN() {
        for (NormalizeMethod m : NormalizeMethod.values()) {
            NormalizerStats stats = Normalizer.fit(m, List.of(CONSTANT), false);
            double v = stats.apply(0, 3.0);
            assertEquals(m == NormalizeMethod.NONE ? 3.0 : 0.0, v, m.name());
        }
    }

    @Test
    void meanImputationNarrowsTheSpreadByTheFilledShare() {
        // 4 of 10 values are null: filled with the mean they add no spread but count in the total.
        ColumnMoments partial = new ColumnMoments("p", 10, 6, 2.0, 9.0, -1.0, 5.0);
        NormalizerStats stats = Normalizer.fit(NormalizeMethod.STANDARD, List.of(partial), true);
        assertEquals(Math.sqrt(9.0 * 6 / 10), stats.scale().get(0), 1e-12);
    }

    @Test
    void noneLeavesValuesAsTheyAre() {
        NormalizerStats stats = Normalizer.fit(NormalizeMethod.NONE, List.of(X), false);
        assertEquals(7.5, stats.apply(0, 7.5));
    }
}
