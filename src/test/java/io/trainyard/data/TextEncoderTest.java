package io.trainyard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.trainyard.data.features.TextPlan;
import io.trainyard.spec.data.TextSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A row's tokens into its text slots, checked against values worked out by hand. */
class TextEncoderTest {
    private static TextPlan plan(TextPlan.Layout layout, TextSpec.Weighting weighting, int width) {
        TextSpec spec = new TextSpec(List.of("body"), TextSpec.Unit.WORDS, true, 10, 1, 6, weighting);
        List<Double> idf =
                layout == TextPlan.Layout.BAG && weighting == TextSpec.Weighting.TFIDF ? List.of(1.5, 2.0, 1.0) : null;
        return new TextPlan(spec, layout, false, List.of("a", "b"), idf, 9, 1, width);
    }

    private static final List<String> TOKENS = List.of("a", "a", "<sep>", "b", "zz");

    @Test
    void aBagOfWordsUnderTfidfIsCountTimesIdfScaledToLengthOne() {
        float[] v = new float[5];
        new TextEncoder(plan(TextPlan.Layout.BAG, TextSpec.Weighting.TFIDF, 3)).fill(v, 1, TOKENS);
        // counts a 2, b 1, unknown 1 (the separator is not counted); times idf: 3, 2, 1; length sqrt(14)
        double n = Math.sqrt(14);
        assertArrayEquals(new float[] {0, 0, (float) (3 / n), (float) (2 / n), (float) (1 / n)}, v, 1e-7f);
    }

    @Test
    void aBagOfCountsHoldsTheCounts() {
        float[] v = new float[4];
        new TextEncoder(plan(TextPlan.Layout.BAG, TextSpec.Weighting.COUNTS, 3)).fill(v, 0, TOKENS);
        assertArrayEquals(new float[] {0, 2, 1, 1}, v);
    }

    @Test
    void aSequenceHoldsTokenIdsThenPadding() {
        float[] v = new float[7];
        new TextEncoder(plan(TextPlan.Layout.SEQUENCE, TextSpec.Weighting.TFIDF, 6)).fill(v, 0, TOKENS);
        // a = 3, b = 4 (FIRST_TOKEN + position), separator 2, unknown 1, padding 0
        assertArrayEquals(new float[] {0, 3, 3, 2, 4, 1, 0}, v);
    }
}
