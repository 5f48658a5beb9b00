/**
 * From Parquet to minibatches, the top of the data layer: {@link io.trainyard.data.DataPreparer} runs the stages
 * below it (source checks and selection, the split, train-only fitting), over Spark rows or, where the job allows,
 * over the column arrays of {@code data.columnar}, and hands back {@link
 * io.trainyard.data.PreparedData}; windows of long-format series, the one row encoder shared by training and scoring,
 * minibatch encoding and an autoencoder's reconstruction view live here. Uses {@code data.columnar}, {@code
 * data.features}, {@code data.split} and {@code data.source}, never the other way.
 */
package io.trainyard.data;
