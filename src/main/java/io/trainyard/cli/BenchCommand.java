package io.trainyard.cli;

import io.trainyard.bench.BenchJob;
import io.trainyard.run.ExitCode;
import io.trainyard.run.SparkSessions;
import io.trainyard.spec.JobSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trainyard bench SPEC}: throughput, overhead and efficiency, side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a spec: single-JVM fit vs Trainyard's engine vs DL4J's master; writes bench.json and bench.md.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        JobSpec job = spec.load();
        BenchJob.run(SparkSessions.start("trainyard-bench " + job.name()), job, run.runDirectory(job));
        return ExitCode.OK;
    }
}
