package io.trainyard.family;

/**
 * A run's {@code metrics.json}, as the family that trained it wrote it: {@link NetworkMetrics} or
 * {@link GanMetrics}. The file is this object serialised; the library API hands back the same object.
 */
public sealed interface RunMetrics permits NetworkMetrics, GanMetrics {
    /** The 1-based epoch whose parameters the model holds. */
    int bestEpoch();

    /** Why training ended (early stopping, divergence, the epoch budget). */
    String stopReason();

    /** The run's wall time, from the job's start to its publication. */
    double seconds();

    /** The test split's figures in a line, as the command line prints them. */
    String testSummary();
}
