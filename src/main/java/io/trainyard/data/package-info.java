/**
 * From Parquet to minibatches: source checks, windows of long-format series, label and feature selection, null
 * policy, the exact stratified split (or a split in time), train-only fitting (vocabularies, impute values,
 * normaliser), minibatch encoding, and an autoencoder's reconstruction view. Pure arithmetic
 * ({@link io.trainyard.data.SplitPlanner}, {@link io.trainyard.data.Normalizer}) has no Spark; the rest touches Spark
 * only through Datasets and RDDs at its edges.
 */
package io.trainyard.data;
