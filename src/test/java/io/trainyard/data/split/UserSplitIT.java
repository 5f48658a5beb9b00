package io.trainyard.data.split;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.trainyard.data.DataPreparer;
import io.trainyard.run.ExitCode;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data's own split (split.column) and a split in order (split.order-by), checked row by row, and bad values
 * refused by name and count.
 */
class UserSplitIT {
    @TempDir
    static Path dir;

    static Path data;
    static SparkSession spark;

    @BeforeAll
    static void write() {
        spark = SparkTestSession.get();
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("day", DataTypes.IntegerType)
                .add("fold", DataTypes.StringType)
                .add("y", DataTypes.StringType)
                .add("at", DataTypes.TimestampType);
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < 600; i++) {
            // An uneven split of the team's choosing, not the 70/15/15 Trainyard would draw.
            String fold = i % 10 < 5 ? "train" : i % 10 < 8 ? " Validation" : "TEST";
            // Hours after the epoch in an order unrelated to the id (7919 is prime to 600).
            java.sql.Timestamp at = new java.sql.Timestamp((i * 7919 % 600) * 3_600_000L);
            rows.add(RowFactory.create(i, i / 600.0, (int) (i / 20), fold, i % 3 == 0 ? "a" : "b", at));
        }
        data = dir.resolve("data");
        spark.createDataFrame(rows, schema).coalesce(2).write().parquet(data.toString());
    }

    private static Path spec(String column) throws Exception {
        return Files.writeString(
                Files.createTempFile(dir, "spec", ".conf"),
                "name = own-split\ndata { path = \"" + data + "\", label = y, id = [id] }\nsplit.column = \"" + column
                        + "\"\n");
    }

    private static Path ordered(String orderBy) throws Exception {
        return Files.writeString(
                Files.createTempFile(dir, "spec", ".conf"),
                "name = ordered-split\ndata { path = \"" + data + "\", label = y, id = [id] }\nsplit.order-by = \""
                        + orderBy + "\"\n");
    }

    /** The ids in each split, and the order value of each id. */
    private static Map<String, List<Long>> orderedMembership(String orderBy) throws Exception {
        JobSpec job = SpecLoader.load(ordered(orderBy), List.of());
        Map<String, List<Long>> out = new HashMap<>();
        for (Row r : DataPreparer.splitMembership(spark, job).collectAsList()) {
            out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getLong(0));
        }
        return out;
    }

    @Test
    void anOrderedSplitTrainsOnTheOldestRowsAndTestsOnTheNewestRowByRow() throws Exception {
        // Hour h holds exactly one row, so the split is fixed: hours 0-419 train, 420-509 validation, 510-599 test.
        Map<String, List<Long>> split = orderedMembership("at");
        for (String name : List.of("train", "validation", "test")) {
            long first = name.equals("train") ? 0 : name.equals("validation") ? 420 : 510;
            long last = name.equals("train") ? 419 : name.equals("validation") ? 509 : 599;
            List<Long> hours =
                    split.get(name).stream().map(id -> id * 7919 % 600).sorted().toList();
            assertEquals(last - first + 1, hours.size(), name);
            assertEquals(first, hours.get(0), name);
            assertEquals(last, hours.get(hours.size() - 1), name);
        }
        // A number works the same way, and rows that share a value are ranked by the seed to keep the counts exact:
        // day has 20 rows per value, and the validation cut falls inside day 25.
        Map<String, List<Long>> byDay = orderedMembership("day * 2 + 1");
        assertEquals(
                List.of(420, 90, 90),
                List.of(
                        byDay.get("train").size(),
                        byDay.get("validation").size(),
                        byDay.get("test").size()));
        long lastTrainDay =
                byDay.get("train").stream().mapToLong(id -> id / 20).max().orElseThrow();
        long firstValidationDay =
                byDay.get("validation").stream().mapToLong(id -> id / 20).min().orElseThrow();
        long lastValidationDay =
                byDay.get("validation").stream().mapToLong(id -> id / 20).max().orElseThrow();
        long firstTestDay =
                byDay.get("test").stream().mapToLong(id -> id / 20).min().orElseThrow();
        assertEquals(
                List.of(20L, 21L, 25L, 25L),
                List.of(lastTrainDay, firstValidationDay, lastValidationDay, firstTestDay));
        // A fractional number keeps its order too.
        Map<String, List<Long>> byX = orderedMembership("x / 3.0");
        assertEquals(
                419L, byX.get("train").stream().mapToLong(Long::longValue).max().orElseThrow());
        assertEquals(
                510L, byX.get("test").stream().mapToLong(Long::longValue).min().orElseThrow());
    }

    @Test
    void anOrderThatIsNoNumberOrHasNullsIsRefused() throws Exception {
        CapturedRun text = CapturedRun.of(
                "prepare",
                ordered("fold").toString(),
                "--out",
                dir.resolve("o1").toString());
        assertEquals(ExitCode.BAD_INPUT, text.exitCode(), text.err());
        assertEquals(
                "split.order-by: 'fold' is string in " + data + "; the split order must be a timestamp, a date or "
                        + "a number",
                text.errorLine());
        CapturedRun nulls = CapturedRun.of(
                "prepare",
                ordered("IF(id < 7, NULL, at)").toString(),
                "--out",
                dir.resolve("o2").toString());
        assertEquals(ExitCode.BAD_INPUT, nulls.exitCode(), nulls.err());
        assertEquals(
                "split.order-by: 'IF(id < 7, NULL, at)' is null or NaN in 7 rows of " + data + "; every row needs "
                        + "a place in the order (filter them out, or coalesce)",
                nulls.errorLine());
    }

    @Test
    void aSplitColumnIsKeptRowByRowAndIsNoFeature() throws Exception {
        JobSpec job = SpecLoader.load(spec("fold"), List.of());
        Dataset<Row> membership = DataPreparer.splitMembership(spark, job);
        Dataset<Row> source = spark.read().parquet(data.toString());
        Dataset<Row> joined = membership.join(source, "id");
        assertEquals(600, joined.count());
        assertEquals(
                0,
                joined.where(col("split")
                                .notEqual(org.apache.spark.sql.functions.lower(
                                        org.apache.spark.sql.functions.trim(col("fold")))))
                        .count());
        assertEquals(300, joined.where(col("split").equalTo("train")).count());
        CapturedRun validated = CapturedRun.of("validate", spec("fold").toString());
        assertEquals(ExitCode.OK, validated.exitCode(), validated.err());
        assertFalse(validated.out().contains("# feature: fold"), validated.out());
    }

    @Test
    void aSplitByTimeAsAnExpressionTrainsOnThePast() throws Exception {
        JobSpec job = SpecLoader.load(
                spec("CASE WHEN day < 20 THEN 'train' WHEN day < 25 THEN 'validation' " + "ELSE 'test' END"),
                List.of());
        Dataset<Row> joined =
                DataPreparer.splitMembership(spark, job).join(spark.read().parquet(data.toString()), "id");
        assertEquals(
                0,
                joined.where(col("split").equalTo("train").and(col("day").geq(20)))
                        .count());
        assertEquals(
                0,
                joined.where(col("split").equalTo("test").and(col("day").lt(25)))
                        .count());
        assertEquals(400, joined.where(col("split").equalTo("train")).count());
    }

    @Test
    void valuesThatNameNoSplitAreRefusedWithTheirCounts() throws Exception {
        CapturedRun run = CapturedRun.of(
                "prepare",
                spec("CASE WHEN id < 30 THEN 'holdout' WHEN id < 40 THEN NULL " + "ELSE fold END")
                        .toString(),
                "--out",
                dir.resolve("refused").toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(
                "split.column = CASE WHEN id < 30 THEN 'holdout' WHEN id < 40 THEN NULL ELSE fold END holds "
                        + "'holdout' in 30 rows, null in 10 rows in " + data
                        + "; its values must be train, validation or test",
                run.errorLine());
        CapturedRun reflect = CapturedRun.of(
                "prepare",
                spec("reflect('java.lang.System', 'exit', 0)").toString(),
                "--out",
                dir.resolve("refused").toString());
        assertEquals(ExitCode.BAD_INPUT, reflect.exitCode(), reflect.err());
    }

    @Test
    void aClassMissingFromASplitIsRefused() throws Exception {
        CapturedRun run = CapturedRun.of(
                "prepare",
                spec("CASE WHEN y = 'a' AND fold = 'TEST' THEN 'train' ELSE " + "fold END")
                        .toString(),
                "--out",
                dir.resolve("missing").toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        // Class a: 200 rows spread 100 / 60 / 40 over the folds; its 40 test rows moved to train.
        assertEquals(
                "split: class 'a' has 140 / 60 / 0 rows in train / validation / test; every split needs one "
                        + "(split.column = CASE WHEN y = 'a' AND fold = 'TEST' THEN 'train' ELSE fold END must give every "
                        + "split rows of each class)",
                run.errorLine());
    }
}
