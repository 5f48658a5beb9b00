package io.trainyard.cli;

import io.trainyard.data.DataArtifacts;
import io.trainyard.job.PrepareJob;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/** {@code trainyard prepare SPEC}: runs the data pipeline alone and writes its artifacts (and how long each step took). */
@Command(
        name = "prepare",
        mixinStandardHelpOptions = true,
        description = "Load, split, normalise and encode a spec's data; write run.json and data/ (no training).")
final class PrepareCommand extends RunCommand {
    @Override
    void run(SparkSession spark, JobSpec job, Path runDirectory) {
        PrepareJob.Outcome done = PrepareJob.run(spark, job, runDirectory);
        long rows = done.rows().total();
        System.out.printf(
                "prepared %,d rows (train %,d / validation %,d / test %,d) into %d inputs in %.2f s (%,.0f rows/s)%n",
                rows,
                done.rows().train(),
                done.rows().validation(),
                done.rows().test(),
                done.inputs(),
                done.seconds(),
                rows / done.seconds());
        for (Map.Entry<String, Long> t : done.timings().entrySet()) {
            System.out.printf("  %-24s %8.2f s%n", t.getKey(), t.getValue() / 1e3);
        }
        System.out.println("wrote " + done.runDirectory() + " (run.json, " + DataArtifacts.FEATURE_PLAN + ", "
                + DataArtifacts.SPLIT + ", " + DataArtifacts.NORMALIZER + ")");
    }
}
