/**
 * From Parquet to minibatches: source checks, label and feature selection, null policy, the exact stratified split,
 * train-only fitting (vocabularies, impute values, normaliser) and minibatch encoding. Pure arithmetic
 * ({@link io.trainyard.data.SplitPlanner}, {@link io.trainyard.data.Normalizer}) has no Spark; the rest touches Spark
 * only through Datasets and RDDs at its edges.
 */
package io.trainyard.data;
