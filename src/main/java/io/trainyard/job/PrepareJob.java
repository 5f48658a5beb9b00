package io.trainyard.job;

import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.data.split.SplitCounts;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** {@code prepare}: the data pipeline alone, published as a run directory ({@code run.json}, {@code data/}). */
public final class PrepareJob {
    private PrepareJob() {}

    /**
     * What was prepared and how long it took.
     *
     * @param timings milliseconds per preparation stage, in order
     */
    public record Outcome(Path runDirectory, SplitCounts rows, int inputs, double seconds, Map<String, Long> timings) {}

    public static Outcome run(SparkSession spark, JobSpec job, Path dir) {
        RunDirectory run = RunDirectory.open(dir, job.data().path());
        long start = System.nanoTime();
        try (PreparedData prepared = DataPreparer.prepare(spark, job, true)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            Provenance.record(run, job, prepared, spark, Map.of());
            run.markSuccess();
            return new Outcome(
                    run.root(), prepared.manifest().total(), prepared.plan().inputWidth(), seconds, prepared.timings());
        }
    }
}
