package io.trainyard.job;

import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.train.TrainingMemory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * How a training job begins, whatever it trains: the clock starts, the workers are counted, the executors' memory is
 * checked against the spec before anything is read, and the run directory is opened (refusing an output that is not
 * Trainyard's or overlaps the data).
 *
 * @param nanos when the job began ({@link System#nanoTime()}), for its wall time
 */
record JobStart(long nanos, JavaSparkContext sc, int workers, RunDirectory run) {
    static JobStart open(SparkSession spark, JobSpec spec, java.nio.file.Path out) {
        long nanos = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int workers = spec.train().workersOr(sc.defaultParallelism());
        TrainingMemory.requireFits(sc, spec, workers);
        return new JobStart(
                nanos, sc, workers, RunDirectory.open(out, spec.data().path()));
    }

    /**
     * This start with the workers the prepared data was partitioned for: {@code train.workers}, or with 0 the number
     * {@link io.trainyard.spec.train.TrainSpec#workersFor} chose from the training split's size.
     */
    JobStart trainingOn(io.trainyard.data.PreparedData data, JobSpec spec) {
        if (spec.train().workers() > 0 || spec.data().partitions() > 0) {
            return this;
        }
        return new JobStart(nanos, sc, Math.min(workers, data.train().getNumPartitions()), run);
    }

    /** The run's first progress line, the same for every family: what trains, on how many workers, how often averaged. */
    void logTraining(org.slf4j.Logger log, JobSpec spec, String network) {
        log.info(
                "training {}: {}, {} worker(s), batch {}, averaging every {} minibatches",
                spec.name(),
                network,
                workers,
                spec.train().batchSize(),
                spec.train().autoAveraging() ? "auto" : spec.train().averagingFrequency());
    }
}
