package io.trainyard.trials;

import io.trainyard.data.PreparedData;
import io.trainyard.gan.GanEvaluation;
import io.trainyard.gan.GanResult;
import io.trainyard.model.GanFactory;
import io.trainyard.model.OutputHead;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.model.DecisionThreshold;
import io.trainyard.train.TrainingResult;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * How a sweep's best trial becomes a published run, one method per family. The job that runs the sweep provides it
 * (with what {@code train} itself publishes), so trials never call up into the jobs. Each returns the test figures in
 * a line.
 */
public interface BestTrialPublisher {
    String network(
            JavaSparkContext sc,
            RunDirectory best,
            PreparedData data,
            OutputHead head,
            DecisionThreshold threshold,
            TrainingResult result,
            long startNanos);

    String gan(
            SparkSession spark,
            RunDirectory best,
            PreparedData data,
            JobSpec spec,
            GanFactory.Gan gan,
            GanEvaluation evaluation,
            GanResult result,
            long startNanos);
}
