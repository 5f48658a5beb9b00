package io.trainyard.data.split;

/** Rows of one stratum (class) in each split. */
public record SplitCounts(long train, long validation, long test) {
    public long total() {
        return train + validation + test;
    }

    public SplitCounts plus(SplitCounts other) {
        return new SplitCounts(train + other.train, validation + other.validation, test + other.test);
    }
}
