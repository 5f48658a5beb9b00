package io.trainyard.data.columnar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The columnar reader's parts that need no Spark job: the order sort, the dictionary, the vocabulary, the budget. */
class ColumnarPartsTest {
    @Test
    void orderSortEqualsAFullSortByKeyThenTieBreak() {
        Random random = new Random(3);
        for (int n : new int[] {0, 1, 2, 3, 1000, 70_000}) {
            long[] keys = new long[n];
            long[] ties = new long[n];
            for (int i = 0; i < n; i++) {
                // Many keys share their high bits, some are equal: both fix-up paths run.
                keys[i] = i % 7 == 0 ? keys[Math.max(0, i - 1)] : random.nextLong() >> (i % 3 == 0 ? 40 : 0);
                ties[i] = random.nextInt(5);
            }
            int[] expected = IntStream.range(0, n)
                    .boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> keys[i]).thenComparingLong(i -> ties[i]))
                    .mapToInt(Integer::intValue)
                    .toArray();
            int[] actual = OrderSort.indices(keys, (a, b) -> Long.compare(ties[a], ties[b]));
            for (int k = 0; k < n; k++) {
                assertEquals(keys[expected[k]], keys[actual[k]], "key at " + k);
                assertEquals(ties[expected[k]], ties[actual[k]], "tie at " + k);
            }
        }
    }

    @Test
    void vocabularyKeepsTheMostFrequentAtLeastMinCountTiesByUtf8Bytes() {
        // "é" (U+00E9) sorts after "z" by UTF-8 bytes, as Spark orders strings; "\uFFFD" after both.
        Map<String, Long> counts = Map.of("a", 5L, "z", 9L, "é", 9L, "\uFFFD", 9L, "rare", 1L, "b", 5L);
        assertEquals(List.of("z", "é", "\uFFFD", "a"), Vocabulary.top(counts, 2, 4));
        assertEquals(List.of("z", "é", "\uFFFD", "a", "b"), Vocabulary.top(counts, 2, 10));
        assertEquals(List.of(), Vocabulary.top(counts, 10, 10));
    }

    @Test
    void memoryBudgetRefusesBlocksBeyondAThirdOfTheHeap() {
        MemoryBudget.Executor sixGb = new MemoryBudget.Executor(6L << 30, 2);
        // 1M rows of 64 doubles in 4 source partitions: about 130 MB a block.
        assertNull(MemoryBudget.refusal(1_000_000, 4, 2, 64, 0, sixGb));
        // 100M rows in 4 partitions: about 13 GB a block.
        String refusal = MemoryBudget.refusal(100_000_000, 4, 2, 64, 0, sixGb);
        assertNotNull(refusal);
        assertTrue(refusal.contains("100000000 rows in 4 source and 2 minibatch partitions"), refusal);
        // Few minibatch partitions hold every packed row twice.
        assertNotNull(MemoryBudget.refusal(20_000_000, 400, 1, 64, 0, sixGb));
    }

    @Test
    void dictionaryCodesValuesInOrderAndStopsAtItsCap() {
        OnHeapColumnVector v = new OnHeapColumnVector(6, DataTypes.StringType);
        String[] values = {"b", "a", "b", "é", "c", "a"};
        for (int r = 0; r < values.length; r++) {
            v.putByteArray(r, values[r].getBytes(StandardCharsets.UTF_8));
        }
        Dictionary d = new Dictionary(3);
        int[] codes = IntStream.range(0, values.length)
                .map(r -> d.code(v, r, ColumnReader.STRING))
                .toArray();
        // "c", the fourth distinct value, takes the shared overflow code; known values keep theirs.
        assertArrayEquals(new int[] {0, 1, 0, 2, 3, 1}, codes);
        assertTrue(d.overflowed());
        assertEquals(List.of("b", "a", "é", Dictionary.OVERFLOW), d.values());
        v.close();
    }

    @Test
    void orderSortOfNegativeAndPositiveKeysIsSigned() {
        long[] keys = {5, -3, Long.MIN_VALUE, Long.MAX_VALUE, 0, -3};
        int[] order = OrderSort.indices(keys, (a, b) -> Integer.compare(a, b));
        long[] sorted = IntStream.of(order).mapToLong(i -> keys[i]).toArray();
        assertArrayEquals(new long[] {Long.MIN_VALUE, -3, -3, 0, 5, Long.MAX_VALUE}, sorted);
    }
}
