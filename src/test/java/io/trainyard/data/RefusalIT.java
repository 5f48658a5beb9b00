package io.trainyard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.run.ExitCode;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of bad input: one line naming the file, column or class, exit code 2, nothing written. */
class RefusalIT {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path good;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
        good = dir.resolve("good");
        write(good, 200, false);
    }

    private static void write(Path path, int rows, boolean withNulls) {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("tags", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("y", DataTypes.StringType);
        List<Row> data = new ArrayList<>();
        for (long i = 0; i < rows; i++) {
            Double x = withNulls && i % 10 == 0
                    ? (i % 20 == 0 ? Double.valueOf(Double.NaN) : null)
                    : Double.valueOf(i / 10.0);
            data.add(RowFactory.create(i, x, List.of(1.0).toArray(), i % 2 == 0 ? "a" : "b"));
        }
        spark.createDataFrame(data, schema).coalesce(1).write().parquet(path.toString());
    }

    /** Runs prepare on a spec and returns the error line, checking exit code 2 and that no run was written. */
    private static String refusal(String dataPath, String label, String... extra) throws Exception {
        Path spec = Files.createTempFile(dir, "spec", ".conf");
        StringBuilder hocon = new StringBuilder("name = refused\ndata { path = \"" + dataPath + "\", label = \"" + label
                + "\", id = [id], ignore = [tags] }\n");
        for (String e : extra) {
            hocon.append(e).append('\n');
        }
        Files.writeString(spec, hocon.toString());
        Path out = dir.resolve("run-" + spec.getFileName());
        CapturedRun run = CapturedRun.of("prepare", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        assertTrue(!Files.exists(out.resolve("_SUCCESS")) && !Files.exists(out.resolve("run.json")));
        assertEquals(
                1, run.err().lines().filter(l -> l.startsWith("trainyard:")).count(), run.err());
        return run.errorLine();
    }

    @Test
    void rejectsMissingPath() throws Exception {
        assertEquals("data.path: " + dir + "/nowhere does not exist", refusal(dir + "/nowhere", "y"));
    }

    @Test
    void rejectsDirectoryWithoutParquetFiles() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("_SUCCESS"), "");
        assertEquals("data.path: no Parquet files under " + empty, refusal(empty.toString(), "y"));
    }

    @Test
    void rejectsZeroByteFile() throws Exception {
        Path bad = copyOfGood("zero");
        Path zero = bad.resolve("part-zero.parquet");
        Files.createFile(zero);
        assertEquals("data.path: file:" + zero + " is an empty (zero-byte) file", refusal(bad.toString(), "y"));
    }

    @Test
    void rejectsCorruptFile() throws Exception {
        Path bad = copyOfGood("corrupt");
        Path corrupt = bad.resolve("part-corrupt.parquet");
        Files.writeString(corrupt, "this is not parquet at all, just text");
        String message = refusal(bad.toString(), "y");
        assertTrue(message.startsWith("data.path: file:" + corrupt + " is not a readable Parquet file"), message);
    }

    @Test
    void rejectsFilesWhoseSchemasDisagree() throws Exception {
        Path mixed = copyOfGood("mixed");
        spark.range(3)
                .selectExpr("id", "CAST(id AS STRING) AS x", "array(1.0D) AS tags", "'a' AS y")
                .coalesce(1)
                .write()
                .mode("append")
                .parquet(mixed.toString());
        String message = refusal(mixed.toString(), "y");
        // Files are compared in name order, and part-file names are random: either type may come first.
        assertTrue(
                message.matches("data\\.path: schemas disagree: column 'x' is (DOUBLE|BINARY \\(STRING\\)) in "
                        + "file:.*\\.parquet but (DOUBLE|BINARY \\(STRING\\)) in file:.*\\.parquet"),
                message);
        assertTrue(message.contains("DOUBLE") && message.contains("BINARY (STRING)"), message);
    }

    @Test
    void rejectsAbsentLabelColumn() throws Exception {
        assertEquals(
                "data.label: column 'nope' not found in " + good + " (columns: id, x, tags, y)",
                refusal(good.toString(), "nope"));
    }

    @Test
    void rejectsAbsentFeatureColumn() throws Exception {
        assertEquals(
                "data.features: column 'z' not found in " + good + " (columns: id, x, tags, y)",
                refusal(good.toString(), "y", "data.features = [x, z]"));
    }

    @Test
    void rejectsATextColumnThatIsAbsentOrNotAString() throws Exception {
        assertEquals(
                "data.text.columns: column 'notes' not found in " + good + " (columns: id, x, tags, y)",
                refusal(good.toString(), "y", "data.text.columns = [notes]"));
        assertEquals(
                "data.text.columns: column 'x' of " + good + " has type double; text columns must be strings",
                refusal(good.toString(), "y", "data.text.columns = [x]"));
        // A categorical entry must be among the other features, also when the text is the only input.
        assertEquals(
                "data.categorical: 'x' is not one of the features ()",
                refusal(good.toString(), "y", "data.text.columns = [y]", "data.label = id", "data.categorical = [x]"));
    }

    @Test
    void rejectsFeatureOfUnusableType() throws Exception {
        assertEquals(
                "data.features: column 's' has type struct<a:double>, which cannot be a feature "
                        + "(numeric, boolean, string, timestamp or date)",
                refusal(good.toString(), "y", "data.features = [x, \"named_struct('a', x) AS s\"]"));
    }

    @Test
    void rejectsArrayFeatureWithoutShape() throws Exception {
        assertEquals(
                "data.features: column 'tags' is an array; set data.shape (e.g. [1, 28, 28] for one 28x28 image "
                        + "per row) so its elements can become inputs",
                refusal(good.toString(), "y", "data.features = [tags]"));
    }

    @Test
    void rejectsArrayMixedWithScalars() throws Exception {
        assertEquals(
                "data.features: array column 'tags' cannot be mixed with scalar features; list only array columns "
                        + "(or only scalar columns) when data.shape is set",
                refusal(good.toString(), "y", "data.features = [x, tags]", "data.shape = [1]"));
    }

    @Test
    void rejectsRowsWhoseArrayHasAnotherLength() throws Exception {
        assertEquals(
                "data.features: array column 'tags' must hold 2 values (data.shape = [2]), a row holds another "
                        + "number",
                refusal(good.toString(), "y", "data.features = [tags]", "data.shape = [2]"));
    }

    @Test
    void rejectsLabelWithOneClass() throws Exception {
        assertEquals(
                "data.label: '\"a\"' has one class only ('a'); classification needs two or more",
                refusal(good.toString(), "\\\"a\\\"", "task = classification"));
    }

    @Test
    void rejectsClassTooSmallToSplitNamingIt() throws Exception {
        assertEquals(
                "split: too few rows to place at least one in each of train, validation and test (class 'rare' "
                        + "has 3 rows); each needs at least 6 at these shares",
                refusal(good.toString(), "CASE WHEN id < 3 THEN 'rare' ELSE y END"));
    }

    @Test
    void failPolicyReportsEveryColumnWithNullsAndItsCount() throws Exception {
        Path nulls = dir.resolve("nulls");
        write(nulls, 200, true);
        assertEquals(
                "data.nulls = fail: null, NaN or infinite values in 'x' 20 (of 200 rows); "
                        + "set data.nulls = drop or impute",
                refusal(nulls.toString(), "y"));
    }

    @Test
    void rejectsUnknownSpecKeyBeforeTouchingData() throws Exception {
        String message = refusal(dir + "/nowhere", "y", "train.batchsize = 3");
        assertTrue(message.startsWith("unknown key 'train.batchsize'"), message);
    }

    private static Path copyOfGood(String name) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(good)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }
}
