package io.trainyard.cli;

import io.trainyard.bench.BenchJob;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code trainyard bench SPEC}: throughput, overhead and efficiency, side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a spec: single-JVM fit vs Trainyard's engine vs DL4J's master; writes bench.json and bench.md.")
final class BenchCommand extends RunCommand {
    @Override
    void run(SparkSession spark, JobSpec job, Path runDirectory) {
        BenchJob.run(spark, job, runDirectory);
    }
}
