package io.trainyard.spec.data;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import java.util.List;

/**
 * Where the data is and how label and features are taken from it (the {@code data.*} keys).
 *
 * @param path          a Parquet file, a directory (partitioned or not) or a glob
 * @param label         a column name or a Spark SQL expression; empty only for an unlabelled autoencoder
 * @param features      column names or SQL expressions ({@code "hour(ts) AS hour"}); empty means every other column
 * @param ignore        columns left out when {@code features} is empty
 * @param id            columns that identify a row: never features, passed through by {@code predict}
 * @param categorical   columns one-hot encoded even when numeric (strings always are)
 * @param nulls         what to do with nulls, NaN and infinities
 * @param maxCategories one-hot slots per categorical column before the shared "other" slot
 * @param minCategoryCount a value seen fewer times than this in the train split goes to "other"
 * @param timestampParts what a timestamp or date feature becomes
 * @param maxClasses    a classification label with more distinct values than this is refused
 * @param partitions    partitions of the prepared minibatches; 0 means Spark's default parallelism
 * @param shape         the inputs' shape ([channels, height, width] for a CNN); empty = a flat vector. Array
 *                      columns are expanded into their elements, each array holding an equal share of the shape
 * @param sequence      long-format time series windowing; off unless {@code data.sequence.series} is set
 * @param reader        how preparation reads the source: column arrays where it can, or always Spark rows
 * @param text          string columns read as text (tokens, vocabulary); off while it names no column
 */
public record DataSpec(
        String path,
        String label,
        List<String> features,
        List<String> ignore,
        List<String> id,
        List<String> categorical,
        NullPolicy nulls,
        int maxCategories,
        int minCategoryCount,
        List<TimestampPart> timestampParts,
        int maxClasses,
        int partitions,
        List<Integer> shape,
        SequenceSpec sequence,
        Reader reader,
        TextSpec text) {

    /** The most classes a label may have: a network's output per class, and the columnar reader's dictionary cap. */
    public static final int MAX_CLASSES = 100_000;

    public DataSpec {
        Checks.nonBlank("data.path", path);
        label = label == null ? "" : label.trim();
        features = Checks.noDuplicates("data.features", features);
        ignore = Checks.noDuplicates("data.ignore", ignore);
        id = Checks.noDuplicates("data.id", id);
        categorical = Checks.noDuplicates("data.categorical", categorical);
        Checks.positive("data.max-categories", maxCategories);
        Checks.positive("data.min-category-count", minCategoryCount);
        if (timestampParts.isEmpty()) {
            throw new SpecException(
                    "data.timestamp-parts must name at least one part: " + SpecEnums.allowed(TimestampPart.class));
        }
        timestampParts = List.copyOf(timestampParts);
        Checks.between("data.max-classes", maxClasses, 2, MAX_CLASSES);
        Checks.atLeast("data.partitions", partitions, 0);
        shape = List.copyOf(shape);
        for (int d : shape) {
            Checks.positive("data.shape", d);
        }
        for (String c : text.columns()) {
            if (features.contains(c)
                    || id.contains(c)
                    || ignore.contains(c)
                    || categorical.contains(c)
                    || c.equals(label)) {
                throw new SpecException("data.text.columns: '" + c + "' is also the label, a feature, an id, "
                        + "categorical or ignored; a text column is only text");
            }
        }
        if (text.enabled() && (sequence.enabled() || !shape.isEmpty())) {
            throw new SpecException("data.text.columns does not go with data.sequence or data.shape: a text column is "
                    + "its own sequence of tokens");
        }
    }

    /** The same data spec read through other features, label, ids and shape (what windowing makes of a spec). */
    public DataSpec withSelection(List<String> features, String label, List<String> id, List<Integer> shape) {
        return new DataSpec(
                path,
                label,
                features,
                List.of(),
                id,
                categorical,
                nulls,
                maxCategories,
                minCategoryCount,
                timestampParts,
                maxClasses,
                partitions,
                shape,
                sequence,
                reader,
                text);
    }

    /** Whether the rows carry a label (an autoencoder may train without one). */
    public boolean labelled() {
        return !label.isEmpty();
    }

    /** Inputs the shape holds (its product), or 0 when no shape is set. */
    public int shapeSize() {
        return shape.isEmpty() ? 0 : shape.stream().reduce(1, Math::multiplyExact);
    }
}
