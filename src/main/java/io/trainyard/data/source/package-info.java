/**
 * The bottom of the data layer: reading and checking the Parquet source, the SQL allow-list every user expression
 * passes, resolving {@code data.label}, {@code data.features}, {@code data.id} and split expressions against the
 * schema, and the names of the internal columns the later stages share ({@link io.trainyard.data.source.Columns}).
 */
package io.trainyard.data.source;
