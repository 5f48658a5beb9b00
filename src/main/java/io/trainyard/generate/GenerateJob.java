package io.trainyard.generate;

import io.trainyard.run.Json;
import io.trainyard.run.OutputDirectory;
import io.trainyard.run.Preflight;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.UserInputException;
import io.trainyard.spec.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a generated dataset as Parquet into a new directory, plus {@code _dataset.json} (generator, rows, seed and
 * the known optimum; Spark ignores files starting with '_'). Written under a temporary name and renamed.
 */
public final class GenerateJob {
    public static final String METADATA = "_dataset.json";
    /** Rows per output file: small enough to parallelise reading, large enough not to litter. */
    private static final long ROWS_PER_FILE = 250_000;

    private GenerateJob() {}

    public static Path run(SparkSession spark, DatasetGenerator generator, Path out, long rows, long seed) {
        if (rows < 1) {
            throw new UserInputException("--rows must be > 0, got " + rows);
        }
        if (Files.exists(out)) {
            throw new UserInputException("--out " + out + " already exists; remove it or choose another directory");
        }
        OutputDirectory.requireWritable(out, OutputDirectory.Kind.DATASET, "--out", Map.of());
        Preflight.requireWritableByExecutors(
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                out.toAbsolutePath().getParent(),
                "--out's parent directory");
        int files = (int) Math.max(1, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
        long rowSeed = Seeds.derive(seed, "generate:" + generator.name());
        JavaRDD<Row> data = spark.range(0, rows, 1, files)
                .javaRDD()
                .map(id -> generator.row(id, new SplittableRandom(Seeds.derive(rowSeed, "row", id))));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("generator", generator.name());
        meta.put("description", generator.description());
        meta.put("rows", rows);
        meta.put("seed", seed);
        meta.put("optimum", generator.optimum());
        return RunDirectory.publishNewDirectory(out, tmp -> {
            spark.createDataFrame(data, generator.schema()).write().parquet(tmp.toString());
            Files.writeString(tmp.resolve(METADATA), Json.write(meta) + "\n", StandardCharsets.UTF_8);
        });
    }
}
