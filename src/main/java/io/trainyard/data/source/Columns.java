package io.trainyard.data.source;

/**
 * Names of the internal columns every preparation stage shares. They live at the bottom of {@code data} so that
 * the split and the feature stages can both name them without importing each other.
 */
public final class Columns {
    /** The label after selection (stage 1). */
    public static final String LABEL = "__label";
    /** Prefix of the split-key columns after selection. */
    public static final String KEY_PREFIX = "__key_";
    /** Stage-2 label: the class as a string (classification) or a double (regression). */
    public static final String Y = "__y";

    private Columns() {}
}
