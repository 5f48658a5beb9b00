package io.trainyard.spec;

/** How the network is trained (the {@code train.*} keys). */
public record TrainSpec(int batchSize) {
    public TrainSpec {
        Checks.positive("train.batch-size", batchSize);
    }
}
