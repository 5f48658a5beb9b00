/**
 * Preparation without Spark rows, for the common shape (label and features plain numeric or string columns, the
 * split by seeded hash): Parquet's vectorised batches are read once into per-partition column arrays, held in memory,
 * and the census, class counts, split histogram, cut hashes, train moments and the packed minibatch rows are each one
 * loop over those arrays. The split, order and values equal the row path's ({@code DataPreparer} keeps it for every
 * other shape). Uses {@code data.features}, {@code data.split} and {@code data.source}.
 */
package io.trainyard.data.columnar;
