package io.trainyard.data.columnar;

import io.trainyard.spec.data.NullPolicy;
import io.trainyard.spec.data.TimestampPart;
import java.io.Serializable;
import java.util.List;

/**
 * Where a partition's values sit in the scan's batches and how they are read: the label's and each feature's column,
 * reader and kind, and what the rows are for (a class label, the null policy, the seeded hashes' seeds, the session
 * time zone of timestamp parts).
 *
 * @param features       the features in selection order (the order of the row path's split hash)
 * @param inputs         model inputs in the row path's order: each feature's one scalar, its timestamp parts, or its
 *                       one categorical
 * @param classification whether the label is a class (read as text) or a value (read as a double)
 * @param maxClasses     the most classes a classification may have ({@code data.max-classes})
 * @param stratified     whether the split's strata are the classes (else one stratum, "all")
 * @param splitSeed      the first value of the split hash ({@code xxhash64(splitSeed, label, features...)})
 * @param orderSeed      the first value of the row-order hash ({@code xxhash64(orderSeed, splitHash)})
 */
record BlockLayout(
        int labelColumn,
        ColumnReader label,
        List<Feature> features,
        int inputs,
        int scalars,
        int categoricals,
        List<TimestampPart> parts,
        String timeZone,
        boolean classification,
        int maxClasses,
        boolean stratified,
        NullPolicy nulls,
        long splitSeed,
        long orderSeed)
        implements Serializable {

    /** How a feature becomes inputs. */
    enum Kind {
        /** A number or boolean: one scalar input. */
        SCALAR,
        /** A timestamp: one scalar input per part. */
        TIMESTAMP,
        /** A category: one categorical input. */
        CATEGORICAL
    }

    /**
     * A feature's batch column and reader, its kind, and its first model input: its index among all inputs, and
     * among the scalars (or the categoricals).
     */
    record Feature(String name, int column, ColumnReader reader, Kind kind, int input, int slot)
            implements Serializable {}
}
