package io.trainyard.trials;

import io.trainyard.data.PreparedData;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared data for each batch size trials train with: the prepared minibatches themselves for the spec's
 * {@code train.batch-size}, and one re-cut, persisted copy per other size (made when the first trial asks for it, and
 * shared by every trial with that size).
 */
public final class TrainingBatches implements AutoCloseable {
    private final PreparedData prepared;
    private final int preparedBatchSize;
    private final Map<Integer, PreparedData> recut = new HashMap<>();

    public TrainingBatches(PreparedData prepared, int preparedBatchSize) {
        this.prepared = prepared;
        this.preparedBatchSize = preparedBatchSize;
    }

    synchronized PreparedData forBatchSize(int batchSize) {
        if (batchSize == preparedBatchSize) {
            return prepared;
        }
        return recut.computeIfAbsent(batchSize, prepared::withTrainingBatchSize);
    }

    @Override
    public synchronized void close() {
        recut.values().forEach(data -> data.train().unpersist(false));
        recut.clear();
    }
}
