package io.trainyard.data.source;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Parquet data that passed the source checks.
 *
 * @param fingerprint a digest of every file's path, size and modification time: provenance for the run
 * @param rows        the rows the files' footers count (0 when not read from files)
 */
public record SourceData(
        String path, Dataset<Row> frame, List<String> files, long bytes, String fingerprint, long rows) {}
