package io.trainyard.cli;

import io.trainyard.api.RunResult;
import io.trainyard.api.Trainyard;
import io.trainyard.run.RunFiles;
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
        RunResult run = Trainyard.train(spark, job, runDirectory);
        Path dir = run.runDirectory();
        System.out.printf("trained in %.1f s; kept epoch %d (%s)%n", run.seconds(), run.bestEpoch(), run.stopReason());
        System.out.println("test: " + run.testSummary());
        System.out.println("wrote " + dir + " (metrics: " + dir.resolve(RunFiles.METRICS) + ", report: " + run.report()
                + run.generatedRows()
                        .map(rows -> ", generator: " + run.modelDirectory() + ", generated rows: " + rows)
                        .orElse(", model: " + run.modelDirectory())
                + ")");
    }
}
