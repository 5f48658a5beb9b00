package io.trainyard.cli;

import io.trainyard.job.TrainJob;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code trainyard train SPEC}: prepare, train with parameter averaging, test once, publish the model. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a spec's network on Spark, evaluate it once on the test split and save the model.")
final class TrainCommand extends RunCommand {
    @Override
    void run(SparkSession spark, JobSpec job, Path runDirectory) {
        if (job.model().type() == io.trainyard.spec.model.ModelType.GAN) {
            io.trainyard.job.GanJob.Outcome gan = io.trainyard.job.GanJob.run(spark, job, runDirectory);
            System.out.printf("trained in %.1f s; kept epoch %d%n", gan.seconds(), gan.bestEpoch());
            System.out.println("test: " + gan.testSummary());
            System.out.println("wrote " + gan.runDirectory() + " (metrics: "
                    + gan.runDirectory().resolve(TrainJob.METRICS)
                    + ", generator: " + gan.runDirectory().resolve(TrainJob.MODEL_DIR) + ", generated rows: "
                    + gan.runDirectory().resolve(io.trainyard.job.GanJob.GENERATED) + ")");
            return;
        }
        report(TrainJob.run(spark, job, runDirectory));
    }

    static void report(TrainJob.Outcome outcome) {
        System.out.printf(
                "trained in %.1f s; kept epoch %d (%s)%n",
                outcome.seconds(),
                outcome.training().bestEpoch(),
                outcome.training().stopReason());
        System.out.println("test: " + outcome.test().summary());
        System.out.println("wrote " + outcome.runDirectory() + " (metrics: "
                + outcome.runDirectory().resolve(TrainJob.METRICS) + ", model: "
                + outcome.runDirectory().resolve(TrainJob.MODEL_DIR) + ")");
    }
}
