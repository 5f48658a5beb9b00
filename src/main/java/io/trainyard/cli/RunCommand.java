package io.trainyard.cli;

import io.trainyard.run.ExitCode;
import io.trainyard.run.SparkSessions;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/** A command that runs a spec into a run directory: load the spec, start Spark, call one service. */
abstract class RunCommand implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Mixin
    RunOptions run;

    @Override
    public final Integer call() {
        JobSpec job = spec.load();
        SparkSession spark = SparkSessions.start(
                "trainyard-" + getClass().getSimpleName().replace("Command", "").toLowerCase(java.util.Locale.ROOT)
                        + " " + job.name());
        run(spark, job, run.runDirectory(job));
        return ExitCode.OK;
    }

    abstract void run(SparkSession spark, JobSpec job, Path runDirectory);
}
