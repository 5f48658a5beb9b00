package io.trainyard.data.source;

/**
 * One feature as selected from the source: its output name, the Spark SQL expression that produces it from a source
 * row (a quoted column name, or what the spec wrote), its kind, and, for the first element of an array feature, the
 * length check every row of that array must pass (null otherwise).
 */
public record SelectedFeature(String name, String expression, ColumnKind kind, ArrayLength arrayLength)
        implements java.io.Serializable {
    /**
     * An array feature's rows must hold {@code length} values: {@code array} is the array's SQL expression and
     * {@code message} the one-line error a row of another length fails the job with. Built into a column by Trainyard
     * (never SQL text), so the error cannot be forged by an expression.
     */
    public record ArrayLength(String array, int length, String message) implements java.io.Serializable {}
}
