package io.trainyard.spec;

import java.util.List;

/**
 * How rows are divided into train, validation and test (the {@code split.*} keys).
 *
 * @param key columns that identify a row for the split; empty means every feature column and the label
 */
public record SplitSpec(double train, double validation, double test, Stratify stratify, long seed, List<String> key) {
    /** Shares may be off from 1 by this much: 0.7 + 0.15 + 0.15 is not exactly 1 in binary. */
    private static final double SUM_TOLERANCE = 1e-9;

    public SplitSpec {
        Checks.openUnit("split.train", train);
        Checks.openUnit("split.validation", validation);
        Checks.openUnit("split.test", test);
        double sum = train + validation + test;
        if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
            throw new SpecException("split.train + split.validation + split.test must sum to 1, got " + sum);
        }
        key = Checks.noDuplicates("split.key", key);
    }
}
