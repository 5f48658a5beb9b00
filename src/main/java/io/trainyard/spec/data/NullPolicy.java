package io.trainyard.spec.data;

/** What to do with nulls, NaN and infinities in the label and features. */
public enum NullPolicy {
    /** Refuse the data, naming every column with nulls and its count. */
    FAIL,
    /** Drop rows with a null in the label or any feature. */
    DROP,
    /** Fill feature nulls with values learned from the train split (mean; most frequent category); drop null labels. */
    IMPUTE
}
