package io.trainyard.cli;

import io.trainyard.api.Trainyard;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.SparkSessions;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trainyard quickstart}: generates the sample data when absent and runs the sweep of
 * {@code jobs/quickstart.conf} (a small successive-halving search; rerunning it resumes).
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = "Generate sample data (when absent) and run the sweep of jobs/quickstart.conf end to end.")
final class QuickstartCommand implements Callable<Integer> {
    static final long SAMPLE_ROWS = 20_000;
    static final long SAMPLE_SEED = 7;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "Trainyard checkout holding jobs/ (default: the launcher's or deploy/submit.sh's)")
    Path home = defaultHome();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/quickstart)")
    Path out = Path.of("runs", "quickstart");

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec key (repeatable)")
    List<String> overrides = new ArrayList<>();

    /** ./trainyard passes its checkout as a system property; deploy/submit.sh, through spark-submit, as TRAINYARD_HOME. */
    private static Path defaultHome() {
        String home = System.getProperty("trainyard.home", System.getenv("TRAINYARD_HOME"));
        return Path.of(home == null ? "." : home);
    }

    @Override
    public Integer call() {
        Path sample = home.resolve("data").resolve("quickstart");
        List<String> all = new ArrayList<>();
        all.add("data.path=\"" + sample.toAbsolutePath() + "\"");
        all.addAll(overrides);
        JobSpec job = SpecLoader.load(home.resolve("jobs").resolve("quickstart.conf"), all);
        SparkSession spark = SparkSessions.start("trainyard-quickstart");
        if (!Files.exists(sample)) {
            System.out.println("generating sample data: " + SAMPLE_ROWS + " rows into " + sample);
            GenerateJob.run(spark, Generators.byName("classification"), sample, SAMPLE_ROWS, SAMPLE_SEED);
        }
        SweepCommand.report(Trainyard.sweep(spark, job, out));
        return ExitCode.OK;
    }
}
