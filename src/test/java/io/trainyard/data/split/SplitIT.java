package io.trainyard.data.split;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
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
import org.nd4j.linalg.dataset.DataSet;

/** Split invariants on real Parquet and local Spark: exact, disjoint, covering, deterministic, leak-free. */
class SplitIT {
    private static final long ROWS = 30_000;

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("cls"), ROWS, 11);
    }

    private static JobSpec spec(Path path, String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.id=[customer_id]", "data.nulls=impute"));
        all.addAll(List.of(overrides));
        return TestSpecs.spec(path.toString(), "outcome", all.toArray(String[]::new));
    }

    private static Map<Long, String> membership(JobSpec spec) {
        Map<Long, String> out = new HashMap<>();
        for (Row r : DataPreparer.splitMembership(spark, spec).collectAsList()) {
            out.put(r.getLong(0), r.getString(1));
        }
        return out;
    }

    @Test
    void splitIsDisjointCoveringAndExactPerClass() {
        Dataset<Row> members = DataPreparer.splitMembership(spark, spec(data));
        Dataset<Row> joined = members.join(spark.read().parquet(data.toString()), "customer_id");
        assertEquals(ROWS, members.count());
        assertEquals(ROWS, members.select(countDistinct("customer_id")).first().getLong(0));
        Map<String, long[]> perClass = new HashMap<>();
        for (Row r : joined.groupBy("outcome", "split").count().collectAsList()) {
            int s = List.of("train", "validation", "test").indexOf(r.getString(1));
            perClass.computeIfAbsent(r.getString(0), k -> new long[3])[s] = r.getLong(2);
        }
        assertEquals(3, perClass.size());
        for (Map.Entry<String, long[]> e : perClass.entrySet()) {
            long[] c = e.getValue();
            long n = c[0] + c[1] + c[2];
            assertTrue(Math.abs(c[0] - 0.70 * n) <= 1, e.getKey() + " train " + c[0] + " of " + n);
            assertTrue(Math.abs(c[1] - 0.15 * n) <= 1, e.getKey() + " validation " + c[1] + " of " + n);
            assertTrue(Math.abs(c[2] - 0.15 * n) <= 1, e.getKey() + " test " + c[2] + " of " + n);
        }
    }

    @Test
    void sameRowsLandInSameSplitWhateverFileOrderAndPartitioning() {
        Path shuffled = dir.resolve("shuffled");
        spark.read()
                .parquet(data.toString())
                .orderBy(rand(5))
                .repartition(7)
                .write()
                .parquet(shuffled.toString());
        assertEquals(membership(spec(data)), membership(spec(shuffled)));

        // With the partition count fixed, even the minibatches are the same, row for row.
        try (PreparedData a = DataPreparer.prepare(spark, spec(data, "data.partitions=3"), true);
                PreparedData b = DataPreparer.prepare(spark, spec(shuffled, "data.partitions=3"), true)) {
            List<DataSet> x = a.train().collect();
            List<DataSet> y = b.train().collect();
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) {
                assertArrayEquals(
                        x.get(i).getFeatures().dup().data().asFloat(),
                        y.get(i).getFeatures().dup().data().asFloat());
                assertArrayEquals(
                        x.get(i).getLabels().dup().data().asFloat(),
                        y.get(i).getLabels().dup().data().asFloat());
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentSplits() {
        Map<Long, String> a = membership(spec(data));
        Map<Long, String> b = membership(spec(data, "split.seed=43"));
        long moved =
                a.keySet().stream().filter(id -> !a.get(id).equals(b.get(id))).count();
        assertTrue(moved > ROWS / 4, "only " + moved + " rows changed split");
    }

    @Test
    void duplicateRowsAlwaysLandInTheSameSplit() {
        StructType schema = new StructType()
                .add("row_id", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("y", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (int original = 0; original < 600; original++) {
            for (int copy = 0; copy < 3; copy++) {
                rows.add(RowFactory.create(id++, (double) original, original % 3 == 0 ? "a" : "b"));
            }
        }
        Path path = dir.resolve("dupes");
        spark.createDataFrame(rows, schema).write().parquet(path.toString());
        JobSpec spec = TestSpecs.spec(path.toString(), "y", "data.id=[row_id]");
        Map<Long, String> placed = new HashMap<>();
        for (Row r : DataPreparer.splitMembership(spark, spec).collectAsList()) {
            placed.put(r.getLong(0), r.getString(1));
        }
        for (long original = 0; original < 600; original++) {
            String first = placed.get(original * 3);
            assertEquals(first, placed.get(original * 3 + 1), "copies of row " + original);
            assertEquals(first, placed.get(original * 3 + 2), "copies of row " + original);
        }
    }

    @Test
    void splitKeyKeepsEachGroupInOneSplitEvenAcrossClasses() {
        StructType schema = new StructType()
                .add("user", DataTypes.IntegerType)
                .add("x", DataTypes.DoubleType)
                .add("y", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int user = 0; user < 400; user++) {
            for (int event = 0; event < 5; event++) {
                rows.add(RowFactory.create(user, user + event / 10.0, (user + event) % 2 == 0 ? "a" : "b"));
            }
        }
        Path path = dir.resolve("groups");
        spark.createDataFrame(rows, schema).write().parquet(path.toString());
        JobSpec spec = TestSpecs.spec(path.toString(), "y", "split.key=[user]");
        Dataset<Row> members = DataPreparer.splitMembership(spark, spec);
        assertEquals(2000, members.count());
        assertEquals(
                0,
                members.groupBy("__key_0")
                        .agg(countDistinct("split").as("n"))
                        .where(col("n").gt(1))
                        .count());
    }

    @Test
    void extremeImbalanceStillPlacesTheRareClassExactly() {
        StructType schema = new StructType()
                .add("row_id", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("y", DataTypes.StringType);
        Dataset<Row> frame = spark.range(0, 200_020)
                .selectExpr("id AS row_id", "rand(3) AS x", "CASE WHEN id < 20 THEN 'rare' ELSE 'common' END AS y");
        Path path = dir.resolve("imbalanced");
        spark.createDataFrame(frame.javaRDD(), schema).write().parquet(path.toString());
        try (PreparedData prepared =
                DataPreparer.prepare(spark, TestSpecs.spec(path.toString(), "y", "data.id=[row_id]"), true)) {
            SplitCounts rare = prepared.manifest().strata().get("rare");
            assertEquals(new SplitCounts(14, 3, 3), rare);
            SplitCounts common = prepared.manifest().strata().get("common");
            assertEquals(new SplitCounts(140_000, 30_000, 30_000), common);
            long trainRows = prepared.train().map(ds -> (long) ds.numExamples()).reduce(Long::sum);
            assertEquals(140_014, trainRows);
        }
    }

    @Test
    void aClassWithOneKeyGroupOf40PercentStillSplitsExactlyWithTheGroupWhole() {
        // The penguins case: 151 distinct 'a' rows and 100 copies of one more (a repeated event), 193 'b' rows.
        StructType schema = new StructType()
                .add("row_id", DataTypes.LongType)
                .add("x", DataTypes.DoubleType)
                .add("y", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < 444; id++) {
            double x = id < 100 ? -1.0 : id;
            rows.add(RowFactory.create(id, x, id < 251 ? "a" : "b"));
        }
        Path path = dir.resolve("repeated");
        spark.createDataFrame(rows, schema).write().parquet(path.toString());
        JobSpec spec = TestSpecs.spec(path.toString(), "y", "data.id=[row_id]");
        Map<Long, String> placed = new HashMap<>();
        for (Row r : DataPreparer.splitMembership(spark, spec).collectAsList()) {
            placed.put(r.getLong(0), r.getString(1));
        }
        // Targets for 251 rows: 176 / 37 / 38. The group fits only in train, and the other 151 fill all three.
        assertEquals(
                1,
                java.util.stream.LongStream.range(0, 100)
                        .mapToObj(placed::get)
                        .distinct()
                        .count());
        assertEquals("train", placed.get(0L));
        Map<String, Long> a = new HashMap<>();
        Map<String, Long> b = new HashMap<>();
        placed.forEach((id, split) -> (id < 251 ? a : b).merge(split, 1L, Long::sum));
        assertEquals(Map.of("train", 176L, "validation", 37L, "test", 38L), a);
        assertEquals(Map.of("train", 135L, "validation", 29L, "test", 29L), b);
    }
}
