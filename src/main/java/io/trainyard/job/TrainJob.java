package io.trainyard.job;

import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.family.ModelFamily;
import io.trainyard.family.Published;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole training run of any family: prepare the data, build and check the spec's networks, train them with
 * parameter averaging, test the kept state on the test split exactly once, and publish the run directory
 * ({@code _SUCCESS} last). What each family trains, tests and publishes is its {@link ModelFamily}'s.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private TrainJob() {}

    public static Published<?> run(SparkSession spark, JobSpec spec, Path out) {
        JobStart opened = JobStart.open(spark, spec, out);
        try (PreparedData data = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn())) {
            JobStart begun = opened.trainingOn(data, spec);
            ModelFamily<?, ?> family = ModelFamily.of(spec, data);
            String network = family.check(begun.sc(), spec, begun.workers());
            RunProvenance provenance = Provenance.record(begun.run(), spec, data, spark, family.seeds(spec));
            begun.logTraining(LOG, spec, network);
            return family.trainAndPublish(spark, begun.run(), spec, provenance, begun.workers(), begun.nanos());
        }
    }
}
