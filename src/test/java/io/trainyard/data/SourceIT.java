package io.trainyard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.features.ModelInput;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.path as a single file, a glob and a Hive-partitioned directory; validate as a dry run. */
class SourceIT {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("cls"), 3_000, 2);
    }

    private static long rows(String path, String... overrides) {
        try (PreparedData prepared = DataPreparer.prepare(spark, TestSpecs.spec(path, "outcome", overrides), true)) {
            return prepared.manifest().total().total();
        }
    }

    @Test
    void readsASingleFileAGlobAndAPartitionedDirectory() throws Exception {
        Path file;
        try (var files = Files.list(data)) {
            file = files.filter(p -> p.toString().endsWith(".parquet"))
                    .findFirst()
                    .orElseThrow();
        }
        String[] impute = {"data.nulls=impute", "data.id=[customer_id]"};
        assertEquals(3_000, rows(file.toString(), impute));
        assertEquals(3_000, rows(data + "/*.parquet", impute));

        Path partitioned = dir.resolve("by-segment");
        spark.read().parquet(data.toString()).write().partitionBy("segment").parquet(partitioned.toString());
        try (PreparedData prepared =
                DataPreparer.prepare(spark, TestSpecs.spec(partitioned.toString(), "outcome", impute), true)) {
            assertEquals(3_000, prepared.manifest().total().total());
            List<String> inputs =
                    prepared.plan().inputs().stream().map(ModelInput::name).toList();
            assertTrue(inputs.contains("segment"), "the partition column is a feature: " + inputs);
        }
    }

    @Test
    void validatePrintsTheResolvedSpecAndFeaturesWithoutTraining() throws Exception {
        // A name of its own: the run directory a train of this spec would create (runs/<name>) must not appear.
        String name = "validate-probe-" + System.nanoTime();
        Path wouldBeRun = Path.of("runs", name);
        long dataFiles;
        try (var files = Files.walk(data)) {
            dataFiles = files.count();
        }
        CapturedRun run = CapturedRun.of(
                "validate", "jobs/quickstart.conf", "--set", "data.path=\"" + data + "\"", "--set", "name=" + name);
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains(name), run.out());
        assertTrue(run.out().contains("# feature: signup_ts (timestamp)"), run.out());
        assertTrue(run.out().contains("# ok: " + name + " is valid"), run.out());
        assertFalse(Files.exists(wouldBeRun), "validate wrote " + wouldBeRun);
        try (var files = Files.walk(data)) {
            assertEquals(dataFiles, files.count(), "validate changed the data directory");
        }
    }
}
