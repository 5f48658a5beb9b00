/**
 * Parameter averaging on Spark executors: Trainyard's engine (rounds over persisted partitions, networks pooled in
 * the executors between rounds, ND4J threads per worker) and DL4J's master as the reference, both behind
 * {@link io.trainyard.train.averaging.EpochFitter}. Knows networks and minibatches, nothing of runs or specs beyond
 * the seeds it derives.
 */
package io.trainyard.train.averaging;
