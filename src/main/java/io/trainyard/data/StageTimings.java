package io.trainyard.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time of each preparation stage in milliseconds, in order; what {@code prepare} reports per stage. */
final class StageTimings {
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long lap = System.nanoTime();

    /** Ends the stage named {@code stage} now; the next stage starts here. */
    void mark(String stage) {
        long now = System.nanoTime();
        millis.put(stage, (now - lap) / 1_000_000);
        lap = now;
    }

    Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }
}
