package io.trainyard.data.columnar;

import io.trainyard.spec.data.NullPolicy;
import java.io.Serializable;

/**
 * Where a partition's values sit in the scan's batches and how they are read: the label's and each feature's column
 * and reader, and what the rows are for (a class label, the null policy, the seeded hashes' seeds).
 *
 * @param classification whether the label is a class (read as text) or a value (read as a double)
 * @param stratified     whether the split's strata are the classes (else one stratum, "all")
 * @param splitSeed      the first value of the split hash ({@code xxhash64(splitSeed, label, features...)})
 * @param orderSeed      the first value of the row-order hash ({@code xxhash64(orderSeed, splitHash)})
 */
record BlockLayout(
        int labelColumn,
        ColumnReader label,
        int[] featureColumns,
        ColumnReader[] features,
        boolean classification,
        boolean stratified,
        NullPolicy nulls,
        long splitSeed,
        long orderSeed)
        implements Serializable {

    int inputs() {
        return features.length;
    }
}
