package io.trainyard.data.source;

/**
 * One feature as selected from the source: its output name, the Spark SQL expression that produces it from a source
 * row (a quoted column name, or what the spec wrote) and its kind.
 */
public record SelectedFeature(String name, String expression, ColumnKind kind) implements java.io.Serializable {}
