package io.trainyard.data.split;

import java.util.List;
import java.util.Map;

/**
 * How the rows were divided: saved as {@code data/split.json}.
 *
 * @param strata      rows per split for each class (stratified) or for the whole data ({@code "all"})
 * @param droppedRows rows left out before splitting (null labels; nulls anywhere under {@code data.nulls = drop})
 * @param minibatches minibatches per split, in the order train, validation, test
 */
public record SplitManifest(
        long seed,
        double train,
        double validation,
        double test,
        boolean stratified,
        List<String> key,
        SplitCounts total,
        Map<String, SplitCounts> strata,
        long droppedRows,
        List<Long> minibatches) {

    /** The same split with the training data cut into {@code count} minibatches. */
    public SplitManifest withTrainMinibatches(long count) {
        List<Long> counts = new java.util.ArrayList<>(minibatches);
        counts.set(0, count);
        return new SplitManifest(seed, train, validation, test, stratified, key, total, strata, droppedRows, counts);
    }
}
