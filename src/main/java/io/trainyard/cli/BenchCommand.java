package io.trainyard.cli;

import io.trainyard.bench.BenchJob;
import io.trainyard.bench.MllibReference;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainyard bench SPEC}: throughput, overhead and efficiency, side by side in one run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark a spec: single-JVM fit vs Trainyard's engine vs DL4J's master; writes bench.json and bench.md.")
final class BenchCommand extends RunCommand {
    @Option(
            names = "--mllib-chunk",
            defaultValue = "10",
            description = "MLlib L-BFGS iterations between validations (default ${DEFAULT-VALUE})")
    int mllibChunk;

    @Option(
            names = "--mllib-iterations",
            defaultValue = "300",
            description = "MLlib iteration budget (default ${DEFAULT-VALUE})")
    int mllibIterations;

    @Option(
            names = "--mllib-seconds",
            defaultValue = "900",
            description = "MLlib training-time budget (default ${DEFAULT-VALUE})")
    double mllibSeconds;

    @Option(
            names = "--mllib-patience",
            defaultValue = "3",
            description = "MLlib chunks without improvement before stopping (default ${DEFAULT-VALUE})")
    int mllibPatience;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "times the one-thread trainers (DL4J, lean step, PyTorch) run, in turn; medians are "
                    + "reported (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    void run(SparkSession spark, JobSpec job, Path runDirectory) {
        BenchJob.run(
                spark,
                job,
                runDirectory,
                new MllibReference.Budget(mllibChunk, mllibIterations, mllibSeconds, mllibPatience),
                repeats);
    }
}
