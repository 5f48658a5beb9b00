package io.trainyard.family;

import java.nio.file.Path;

/**
 * A published run, typed until the last moment: where it was written, its {@code metrics.json} as the object it was
 * written from, and the family's own in-memory result (the trained state, for callers in this JVM).
 *
 * @param <R> the family's test result ({@link NetworkFamily.Tested}, {@link GanFamily.Tested})
 */
public record Published<R>(Path runDirectory, RunMetrics metrics, R result) {
    /** The result as {@code type}; refuses another family's. */
    public <S> S result(Class<S> type) {
        if (!type.isInstance(result)) {
            throw new IllegalStateException(
                    "the run's result is a " + result.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(result);
    }

    public String testSummary() {
        return metrics.testSummary();
    }
}
