package io.trainyard.family;

import java.nio.file.Path;

/**
 * A published run, typed until the last moment: where it was written, the kept epoch, the test figures in a line,
 * its wall time, and the family's own test result.
 *
 * @param <R> the family's test result ({@link NetworkFamily.Tested}, {@link GanFamily.Tested})
 */
public record Published<R>(
        Path runDirectory, int bestEpoch, String stopReason, String testSummary, double seconds, R result) {
    /** The result as {@code type}; refuses another family's. */
    public <S> S result(Class<S> type) {
        if (!type.isInstance(result)) {
            throw new IllegalStateException(
                    "the run's result is a " + result.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(result);
    }
}
