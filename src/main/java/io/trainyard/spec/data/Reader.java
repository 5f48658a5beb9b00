package io.trainyard.spec.data;

/** How preparation reads the source ({@code data.reader}). */
public enum Reader {
    /**
     * Parquet's vectorised batches into column arrays when label and features are plain numeric (or string label)
     * columns and the split is by seeded hash; Spark rows for every other shape.
     */
    AUTO,
    /** Always Spark rows: the reference the columnar reader is tested against. */
    ROWS
}
