package io.trainyard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.features.ModelInput;
import io.trainyard.data.source.DataException;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The columnar reader ({@code data.reader = auto}) against the row path ({@code data.reader = rows}) on one source:
 * the same split of every class, the same rows in the same order in the same minibatches, the same fitted values.
 * The data has what real files have: nulls, NaN, infinities and -0.0, every numeric type, duplicated rows (placed
 * whole), an 80/15/5 label, several files and a partition column.
 */
class ColumnarPreparationIT {
    @TempDir
    static Path dir;

    static final java.time.Instant START = java.time.Instant.parse("2026-03-07T00:00:00Z");
    /** A min-category-count between the rare value of b (about 20 train rows) and the others (about 250). */
    static final int RARE = 60;

    static SparkSession spark;
    static Path mixed;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
        mixed = writeMixed(dir.resolve("mixed"));
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of(
                        "impute, stratified int label, a string category with nulls past max-categories",
                        "label",
                        new String[] {"data.nulls=impute", "data.max-categories=2"}),
                Arguments.of(
                        "drop, minmax, unstratified, a byte column as a category with rare values",
                        "label",
                        new String[] {
                            "data.nulls=drop",
                            "data.ignore=[name]",
                            "normalize=minmax",
                            "split.stratify=false",
                            "data.categorical=[b]",
                            "data.min-category-count=" + RARE
                        }),
                Arguments.of(
                        "string label, batches of 7, 3 partitions, another seed, every timestamp part",
                        "name",
                        new String[] {
                            "data.nulls=impute",
                            "data.ignore=[label]",
                            "train.batch-size=7",
                            "data.partitions=3",
                            "split.seed=99",
                            "data.timestamp-parts=[hour, minute, day-of-week, day-of-month, day-of-year, month, year]"
                        }),
                Arguments.of("regression with a scaled target and null labels", "amount", new String[] {
                    "data.nulls=drop", "data.ignore=[label, name]", "task=regression"
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void columnsAndRowsPrepareTheSameData(String name, String label, String[] overrides) {
        assertSame(mixed, label, overrides);
    }

    @Test
    void theRareCategoryValueSharesTheOtherSlot() {
        try (PreparedData p = prepare(
                mixed,
                "label",
                "auto",
                "data.nulls=drop",
                "data.ignore=[name]",
                "data.categorical=[b]",
                "data.min-category-count=" + RARE)) {
            assertTrue(readColumns(p));
            ModelInput b = p.plan().inputs().stream()
                    .filter(i -> i.name().equals("b"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    java.util.Set.of("0", "1", "2", "3", "4", "5", "6", "7"), new java.util.HashSet<>(b.categories()));
            assertEquals(9, b.width());
        }
    }

    @Test
    void timestampPartsFollowTheSessionTimeZone() {
        String zone = spark.conf().get("spark.sql.session.timeZone");
        spark.conf().set("spark.sql.session.timeZone", "America/New_York");
        try {
            assertSame(
                    mixed,
                    "label",
                    "data.nulls=drop",
                    "data.ignore=[name]",
                    "data.timestamp-parts=[hour, day-of-week]");
        } finally {
            spark.conf().set("spark.sql.session.timeZone", zone);
        }
    }

    @Test
    void generatedClassificationAndRegressionAreTheSame() {
        Path tabular = GenerateJob.run(spark, Generators.byName("tabular"), dir.resolve("tabular"), 6_000, 7);
        assertSame(tabular, "converted", "data.id=[row_id]");
        Path wide = GenerateJob.run(spark, Generators.byName("wide"), dir.resolve("wide"), 6_000, 5);
        assertSame(wide, "y", "data.id=[row_id]");
        Path regression = GenerateJob.run(spark, Generators.byName("regression"), dir.resolve("regression"), 4_000, 6);
        assertSame(regression, "target", "data.id=[row_id]", "data.nulls=drop", "data.ignore=[zone, ts]");
    }

    @Test
    void nullsUnderFailAreRefusedAlike() {
        String rows = assertThrows(DataException.class, () -> prepare(mixed, "label", "rows", "data.ignore=[name]"))
                .getMessage();
        String columns = assertThrows(DataException.class, () -> prepare(mixed, "label", "auto", "data.ignore=[name]"))
                .getMessage();
        assertEquals(rows, columns);
        assertTrue(columns.contains("'x' ") && columns.contains("'z' "), columns);
    }

    @Test
    void tooManyClassesAreRefusedAlike() {
        String[] overrides = {
            "task=classification", "data.max-classes=5", "data.ignore=[name, label]", "data.nulls=drop"
        };
        String rows = assertThrows(DataException.class, () -> prepare(mixed, "n", "rows", overrides))
                .getMessage();
        String columns = assertThrows(DataException.class, () -> prepare(mixed, "n", "auto", overrides))
                .getMessage();
        assertEquals(rows, columns);
        assertTrue(columns.contains("more than 5 distinct values"), columns);
    }

    @Test
    void aCategoryWithTooManyValuesForOnePartitionIsReadAsRows() {
        Path ids = dir.resolve("ids");
        spark.range(110_000)
                .selectExpr("concat('user-', id) AS user", "id * 0.5 AS x", "CAST(id % 2 AS INT) AS y")
                .coalesce(1)
                .write()
                .parquet(ids.toString());
        try (PreparedData p = prepare(ids, "y", "auto")) {
            assertFalse(readColumns(p));
            assertEquals(110_000, p.manifest().total().total());
        }
    }

    @Test
    void otherShapesTakeTheRowPath() {
        // A feature computed by a SQL expression needs Spark's rows, whatever data.reader says.
        try (PreparedData p =
                prepare(mixed, "label", "auto", "data.nulls=impute", "data.features=[x, \"n * 2 AS twice\"]")) {
            assertFalse(readColumns(p));
        }
    }

    private static void assertSame(Path data, String label, String... overrides) {
        try (PreparedData rows = prepare(data, label, "rows", overrides);
                PreparedData columns = prepare(data, label, "auto", overrides)) {
            assertFalse(readColumns(rows));
            assertTrue(readColumns(columns), "the columnar reader was not used: " + columns.timings());
            assertEquals(rows.manifest(), columns.manifest());
            assertEquals(rows.plan().classes(), columns.plan().classes());
            assertEquals(rows.normalizer().columns(), columns.normalizer().columns());
            assertClose(rows.normalizer().center(), columns.normalizer().center());
            assertClose(rows.normalizer().scale(), columns.normalizer().scale());
            List<Double> rowsImpute = new ArrayList<>();
            List<Double> columnsImpute = new ArrayList<>();
            for (int i = 0; i < rows.plan().inputs().size(); i++) {
                ModelInput r = rows.plan().inputs().get(i);
                ModelInput c = columns.plan().inputs().get(i);
                assertEquals(r.name(), c.name());
                assertEquals(r.offset(), c.offset());
                rowsImpute.add(r.impute() == null ? 0.0 : r.impute());
                columnsImpute.add(c.impute() == null ? 0.0 : c.impute());
            }
            assertClose(rowsImpute, columnsImpute);
            if (rows.plan().target() != null) {
                assertClose(
                        List.of(
                                rows.plan().target().center(),
                                rows.plan().target().scale()),
                        List.of(
                                columns.plan().target().center(),
                                columns.plan().target().scale()));
            }
            assertSameBatches(rows.train().collect(), columns.train().collect());
            assertSameBatches(rows.validation().collect(), columns.validation().collect());
            assertSameBatches(rows.test().collect(), columns.test().collect());
        }
    }

    /** Minibatch by minibatch, row by row: labels exactly, inputs to float rounding of equal fitted values. */
    private static void assertSameBatches(List<DataSet> rows, List<DataSet> columns) {
        assertEquals(rows.size(), columns.size());
        for (int b = 0; b < rows.size(); b++) {
            assertArrayEquals(
                    rows.get(b).getLabels().data().asFloat(),
                    columns.get(b).getLabels().data().asFloat());
            assertArrayEquals(
                    rows.get(b).getFeatures().data().asFloat(),
                    columns.get(b).getFeatures().data().asFloat(),
                    1e-5f,
                    "minibatch " + b);
        }
    }

    private static void assertClose(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-9 * Math.max(1, Math.abs(expected.get(i))), "value " + i);
        }
    }

    private static boolean readColumns(PreparedData p) {
        return p.timings().containsKey(DataPreparer.READ_COLUMNS);
    }

    private static PreparedData prepare(Path data, String label, String reader, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("data.reader=" + reader);
        JobSpec spec = TestSpecs.spec(data.toString(), label, all.toArray(String[]::new));
        return DataPreparer.prepare(spark, spec, true);
    }

    /**
     * 3,000 rows over three partition directories: doubles with nulls, NaN, infinities and -0.0 (one without nulls);
     * a float, long, int, short, byte (eight common values, one rare) and boolean; a timestamp across a change to
     * summer time; an int label of three classes at 80/15/5 (a few null) and the same label as a string; a colour
     * category with nulls of its own; a regression amount in the hundreds (a few NaN); every 100th row written four
     * times (duplicates go whole).
     */
    private static Path writeMixed(Path path) {
        StructType schema = new StructType()
                .add("x", DataTypes.DoubleType)
                .add("z", DataTypes.DoubleType)
                .add("f", DataTypes.FloatType)
                .add("n", DataTypes.LongType)
                .add("i", DataTypes.IntegerType)
                .add("s", DataTypes.ShortType)
                .add("b", DataTypes.ByteType)
                .add("flag", DataTypes.BooleanType)
                .add("label", DataTypes.IntegerType)
                .add("name", DataTypes.StringType)
                .add("color", DataTypes.StringType)
                .add("amount", DataTypes.DoubleType)
                .add("ts", DataTypes.TimestampType)
                .add("part", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 3_000; k++) {
            double u = random.nextDouble();
            Integer label = k % 397 == 5 ? null : u < 0.8 ? 0 : u < 0.95 ? 1 : 2;
            Double x = switch (k % 101) {
                case 3 -> null;
                case 4 -> Double.NaN;
                case 5 -> Double.POSITIVE_INFINITY;
                case 6 -> -0.0;
                default -> random.nextGaussian() * 3 + (label == null ? 0 : label);
            };
            // z has no nulls, so it is read in bulk; its NaN, infinity and -0.0 must still count as the row path's.
            double z = k % 50 == 0 ? -0.0 : k % 293 == 1 ? Double.NaN : k % 307 == 2 ? Double.NEGATIVE_INFINITY : u;
            Row row = RowFactory.create(
                    x,
                    z,
                    (float) random.nextGaussian(),
                    random.nextLong() % 1000,
                    random.nextInt(50) - 25,
                    (short) random.nextInt(300),
                    // b: eight common values and a rare ninth (every 97th row), for a vocabulary that drops one.
                    (byte) (k % 97 == 0 ? 9 : random.nextInt(8)),
                    random.nextBoolean(),
                    label,
                    label == null ? null : new String[] {"stay", "churn", "fraud"}[label],
                    // A category with nulls of its own (not where the label is null), which impute fills.
                    k % 89 == 3 ? null : new String[] {"red", "red", "green", "blue", "grey"}[k % 5],
                    k % 211 == 9 ? Double.NaN : 400 + 150 * random.nextGaussian() + 80 * (label == null ? 0 : label),
                    // Every 37 minutes from 7 March 2026, across New York's change to summer time; a few null.
                    k % 113 == 4 ? null : java.sql.Timestamp.from(START.plusSeconds(k * 37L * 60)),
                    k % 3);
            for (int copy = 0; copy < (k % 100 == 0 ? 4 : 1); copy++) {
                rows.add(row);
            }
        }
        spark.createDataFrame(rows, schema)
                .repartition(4)
                .write()
                .partitionBy("part")
                .parquet(path.toString());
        return path;
    }
}
