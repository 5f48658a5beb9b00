package io.trainyard.data.columnar;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.unsafe.types.UTF8String;

/** A categorical input's vocabulary from its train-split counts, chosen as the row path's Spark query chooses it. */
final class Vocabulary {
    private Vocabulary() {}

    /**
     * The values seen at least {@code minCount} times, the most frequent {@code max} of them, ties broken by value in
     * Spark's string order (by UTF-8 bytes), so the vocabulary is deterministic.
     */
    static List<String> top(Map<String, Long> counts, int minCount, int max) {
        List<Map.Entry<String, Long>> kept = new ArrayList<>();
        counts.entrySet().stream().filter(e -> e.getValue() >= minCount).forEach(kept::add);
        kept.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                .reversed()
                .thenComparing(e -> UTF8String.fromString(e.getKey())));
        return kept.stream().limit(max).map(Map.Entry::getKey).toList();
    }
}
