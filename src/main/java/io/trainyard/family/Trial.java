package io.trainyard.family;

import io.trainyard.data.PreparedData;
import io.trainyard.spec.train.StoppingMetric;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One rung of a sweep trial as a family trains it: the minibatches of the trial's batch size, its checkpoint
 * directory and epoch budget, its workers and their threads, the metric trials are ranked by, and where each epoch's
 * value goes (the sweep's ledger).
 *
 * @param startNanos when the rung began ({@link System#nanoTime()}); earlier rungs' time is in the checkpoint
 */
public record Trial(
        JavaSparkContext sc,
        String name,
        PreparedData batches,
        Path dir,
        int epochs,
        int workers,
        int threadsPerWorker,
        StoppingMetric metric,
        EpochSink epochEnded,
        long startNanos) {
    /** Receives a trial's validation metric after each epoch. */
    @FunctionalInterface
    public interface EpochSink {
        void ended(int epoch, double value);
    }

    /** Seconds since this rung began, plus what the trial's earlier rungs took. */
    double seconds(double earlier) {
        return earlier + (System.nanoTime() - startNanos) / 1e9;
    }
}
