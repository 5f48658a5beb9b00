package io.trainyard.cli;

import io.trainyard.data.DataArtifacts;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.job.Provenance;
import io.trainyard.run.RunDirectory;
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
        prepareInto(spark, job, runDirectory);
    }

    static void prepareInto(SparkSession spark, JobSpec job, Path dir) {
        RunDirectory run = RunDirectory.open(dir, job.data().path());
        long start = System.nanoTime();
        try (PreparedData prepared = DataPreparer.prepare(spark, job, true)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            run.writeJson("run.json", Provenance.of(job, prepared.source(), spark));
            DataArtifacts.write(run, prepared);
            run.markSuccess();
            var total = prepared.manifest().total();
            long rows = total.total();
            System.out.printf(
                    "prepared %,d rows (train %,d / validation %,d / test %,d) into %d inputs in %.2f s "
                            + "(%,.0f rows/s)%n",
                    rows,
                    total.train(),
                    total.validation(),
                    total.test(),
                    prepared.plan().inputWidth(),
                    seconds,
                    rows / seconds);
            for (Map.Entry<String, Long> t : prepared.timings().entrySet()) {
                System.out.printf("  %-24s %8.2f s%n", t.getKey(), t.getValue() / 1e3);
            }
            System.out.println("wrote " + run.root() + " (run.json, " + DataArtifacts.FEATURE_PLAN + ", "
                    + DataArtifacts.SPLIT + ", " + DataArtifacts.NORMALIZER + ")");
        }
    }
}
