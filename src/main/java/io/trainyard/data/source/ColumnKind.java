package io.trainyard.data.source;

/** What a selected feature column is, which decides how it becomes network inputs. */
public enum ColumnKind {
    /** Numbers (any width, decimals too): one scalar input. */
    NUMERIC,
    /** true/false: one scalar input, 1 or 0. */
    BOOLEAN,
    /** Timestamps and dates: one scalar input per configured part (hour, day of week, ...). */
    TIMESTAMP,
    /** Strings, and numeric columns listed in data.categorical: one-hot, capped, with an "other" slot. */
    CATEGORICAL,
    /** Strings listed in data.text.columns: tokens, counted into a vocabulary or read as a sequence of token ids. */
    TEXT
}
