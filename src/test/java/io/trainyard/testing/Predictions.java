package io.trainyard.testing;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trainyard.data.DataPreparer;
import io.trainyard.run.ExitCode;
import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Batch scoring as a user runs it, checked against the split a training spec made. */
public final class Predictions {
    private Predictions() {}

    /**
     * Runs {@code predict} with {@code model} over the whole of {@code input} and returns the test split's rows with
     * the prediction and the true label (as {@code label}), joined on {@code id}.
     */
    public static Dataset<Row> onTestSplit(
            SparkSession spark, JobSpec spec, Path model, Path input, Path out, String id, String label) {
        CapturedRun run = CapturedRun.of(
                "predict", "--model", model.toString(), "--input", input.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        Dataset<Row> test =
                DataPreparer.splitMembership(spark, spec).where(col("split").equalTo("test"));
        return spark.read()
                .parquet(out.toString())
                .join(test, id)
                .join(
                        spark.read()
                                .parquet(input.toString())
                                .select(col(id), col(label).as("label")),
                        id);
    }

    /** Share of rows whose prediction equals the label. */
    public static double accuracy(Dataset<Row> scored) {
        return (double) scored.where(col("prediction").equalTo(col("label"))).count() / scored.count();
    }
}
