/**
 * The library API, for Java and Scala users' own Spark jobs: {@link io.trainyard.api.Trainyard} loads a spec and trains
 * or sweeps it on the caller's {@code SparkSession}; {@link io.trainyard.api.TrainyardModel} loads a saved model and
 * scores a {@code Dataset<Row>}, on its own or as a Spark ML {@code Transformer} in a {@code Pipeline}. The command line
 * is a client of this package; nothing here prints.
 */
package io.trainyard.api;
