package io.trainyard.spec.data;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;
import java.util.List;

/**
 * How rows are divided into train, validation and test (the {@code split.*} keys).
 *
 * @param key    columns that identify a row for the split; empty means every feature column and the label
 * @param column the user's own split: a column or SQL expression whose values are train, validation and test; empty
 *               when Trainyard draws the split
 * @param orderBy a timestamp, date or number (column or SQL expression) the split follows: the oldest rows train, the
 *               newest test, at the shares; empty for a split by hash
 */
public record SplitSpec(
        double train,
        double validation,
        double test,
        Stratify stratify,
        long seed,
        List<String> key,
        String column,
        String orderBy) {
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
        if (!column.isBlank() && !key.isEmpty()) {
            throw new SpecException("split.key places rows in a drawn split; split.column = " + column + " names the "
                    + "split itself: set one of them");
        }
        if (!orderBy.isBlank() && !column.isBlank()) {
            throw new SpecException("split.order-by orders rows for a drawn split; split.column = " + column + " names "
                    + "the split itself: set one of them");
        }
        if (!orderBy.isBlank() && !key.isEmpty()) {
            throw new SpecException("split.order-by cuts by order and split.key keeps groups whole, which a cut in "
                    + "order would break: set one of them");
        }
    }

    /** Whether the split follows an order ({@code split.order-by}) rather than a hash. */
    public boolean ordered() {
        return !orderBy.isBlank();
    }

    /**
     * Whether classes are split one by one. {@code auto} does so for classification, except in an ordered split,
     * where one cut in time for every class is what "train on the past" means.
     */
    public boolean stratifies(Task task) {
        return task == Task.CLASSIFICATION && (stratify == Stratify.TRUE || stratify == Stratify.AUTO && !ordered());
    }

    /** Whether the data carries its own split ({@code split.column}). */
    public boolean userSplit() {
        return !column.isBlank();
    }
}
