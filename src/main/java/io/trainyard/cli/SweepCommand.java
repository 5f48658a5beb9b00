package io.trainyard.cli;

import io.trainyard.api.SweepResult;
import io.trainyard.api.Trainyard;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code trainyard sweep SPEC}: a hyperparameter sweep of the spec's {@code sweep} block, resumable. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Run the trials of a spec's sweep block on Spark, test the best once and publish it.",
            "Run it again with the same spec and --out to resume a sweep that was stopped."
        })
final class SweepCommand extends RunCommand {
    @Override
    void run(SparkSession spark, JobSpec job, Path runDirectory) {
        report(Trainyard.sweep(spark, job, runDirectory));
    }

    static void report(SweepResult sweep) {
        System.out.printf(
                "swept in %.1f s: %d trials, %d succeeded; best %s (validation %s %.4f)%n",
                sweep.seconds(),
                sweep.trials(),
                sweep.succeeded(),
                sweep.bestTrial(),
                sweep.metric(),
                sweep.bestValidation());
        System.out.println("test: " + sweep.testSummary());
        System.out.println("wrote " + sweep.runDirectory() + " (results: " + sweep.resultsCsv() + ", report: "
                + sweep.report() + ", model: " + sweep.best().modelDirectory() + ")");
    }
}
