package io.trainyard.cli;

import io.trainyard.job.SweepJob;
import io.trainyard.job.TrainJob;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
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
        report(SweepJob.run(spark, job, runDirectory));
    }

    static void report(SweepJob.Outcome outcome) {
        long succeeded = outcome.result().outcomes().values().stream()
                .filter(TrialOutcome::succeeded)
                .count();
        int best = outcome.result().best().orElseThrow();
        System.out.printf(
                "swept in %.1f s: %d trials, %d succeeded; best %s (validation %s %.4f)%n",
                outcome.seconds(),
                outcome.result().plans().size(),
                succeeded,
                TrialPlan.name(best),
                SpecEnums.name(outcome.sweep().metric()),
                outcome.result().outcomes().get(best).best());
        System.out.println("test: " + outcome.test());
        Path dir = outcome.runDirectory();
        System.out.println("wrote " + dir + " (results: " + dir.resolve(SweepJob.RESULTS_CSV) + ", report: "
                + dir.resolve(SweepJob.REPORT) + ", model: "
                + dir.resolve(SweepJob.BEST).resolve(TrainJob.MODEL_DIR) + ")");
    }
}
