package io.trainyard.spec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trainyard.spec.check.SpecException;
import io.trainyard.testing.TestSpecs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassWeightsTest {
    @Test
    void balancedWeighsEachClassByNOverKTimesItsCount() {
        ClassWeights balanced = new ClassWeights(ClassWeights.Mode.BALANCED, Map.of());
        // 1,000 train rows: 950 and 50.
        assertArrayEquals(
                new double[] {1000.0 / (2 * 950), 1000.0 / (2 * 50)},
                balanced.resolve(List.of("false", "true"), new long[] {950, 50}),
                1e-12);
    }

    @Test
    void sqrtWeighsEachClassByTheSquareRootOfBalanced() {
        ClassWeights sqrt =
                TestSpecs.spec("/x", "y", "train.class-weights=sqrt").train().classWeights();
        assertEquals(ClassWeights.Mode.SQRT, sqrt.mode());
        // 1,000 train rows: 900, 90 and 10; a class without train rows weighs 1.
        assertArrayEquals(
                new double[] {Math.sqrt(1000.0 / (4 * 900)), Math.sqrt(1000.0 / (4 * 90)), Math.sqrt(1000.0 / 40), 1},
                sqrt.resolve(List.of("a", "b", "c", "d"), new long[] {900, 90, 10, 0}),
                1e-12);
    }

    @Test
    void explicitWeightsNameClassesAndTheRestWeighOne() {
        ClassWeights w = TestSpecs.spec("/x", "y", "train.class-weights={rare = 20, uncommon = 2.5}")
                .train()
                .classWeights();
        assertEquals(ClassWeights.Mode.EXPLICIT, w.mode());
        assertArrayEquals(
                new double[] {1, 20, 2.5}, w.resolve(List.of("common", "rare", "uncommon"), new long[] {10, 1, 3}), 0);
        ClassWeights one = TestSpecs.spec("/x", "y", "train.class-weights={rare = 20}")
                .train()
                .classWeights();
        SpecException e = assertThrows(SpecException.class, () -> one.resolve(List.of("a", "b"), new long[] {1, 1}));
        assertEquals(
                "train.class-weights names the class 'rare', which the label does not have (classes: a, b)",
                e.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertEquals(
                "train.class-weights must be none, balanced, sqrt or {class = weight, ...}, got 'heavy'",
                assertThrows(SpecException.class, () -> TestSpecs.spec("/x", "y", "train.class-weights=heavy"))
                        .getMessage());
        assertEquals(
                "train.class-weights.rare must be a positive number, got -1.0",
                assertThrows(SpecException.class, () -> TestSpecs.spec("/x", "y", "train.class-weights={rare = -1}"))
                        .getMessage());
        assertEquals(
                "train.class-weights applies to classification; task is regression",
                assertThrows(
                                SpecException.class,
                                () -> TestSpecs.spec("/x", "y", "task=regression", "train.class-weights=balanced"))
                        .getMessage());
        assertEquals(
                false, TestSpecs.spec("/x", "y", "train.class-weights=balanced").binaryAsOneColumn());
        assertEquals(true, TestSpecs.spec("/x", "y").binaryAsOneColumn());
    }
}
