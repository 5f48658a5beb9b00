package io.trainyard.data.split;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.when;

import io.trainyard.data.source.DataException;
import io.trainyard.data.source.SparkSeqs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark side of the exact stratified split ({@link StratumCuts} places the cuts). Two small aggregations
 * find them: a histogram of hash buckets per stratum, then the hashes of the few buckets that hold a cut.
 * No row is collected to the driver beyond those, and membership depends only on the key, the seed and the
 * stratum's contents, never on file order or partitioning.
 */
public final class SplitAssigner {
    public static final String HASH = "__h";
    public static final String STRATUM = "__stratum";
    public static final String SPLIT = "__split";
    public static final int TRAIN = 0;
    public static final int VALIDATION = 1;
    public static final int TEST = 2;
    private static final String BUCKET = "__bucket";
    private static final String FIXED = "__fixed";

    private SplitAssigner() {}

    /** The assigned frame (with {@link #SPLIT}) and the rows per split of every stratum. */
    public record Assignment(Dataset<Row> frame, Map<String, SplitCounts> counts) {}

    /**
     * @param frame rows with {@link #HASH} (long) and {@link #STRATUM} (string, non-null) columns; read several times
     * @param stratumLabel how a stratum is named in messages ("class", or "" when the split is not stratified)
     * @param wholeGroups  see {@link StratumCuts#find}
     */
    public static Assignment assign(
            SparkSession spark,
            Dataset<Row> frame,
            double train,
            double validation,
            String stratumLabel,
            boolean wholeGroups) {
        StratumCuts found =
                StratumCuts.find(new FrameHashes(spark, frame), train, validation, stratumLabel, wholeGroups);
        List<Row> thresholdRows = new ArrayList<>();
        List<Row> fixedRows = new ArrayList<>();
        found.cuts().forEach((stratum, cut) -> {
            thresholdRows.add(RowFactory.create(
                    stratum,
                    cut.first().value(),
                    cut.first().inclusive(),
                    cut.second().value(),
                    cut.second().inclusive()));
            cut.fixed().forEach((hash, split) -> fixedRows.add(RowFactory.create(stratum, hash, split)));
        });
        StructType thresholdSchema = new StructType()
                .add(STRATUM, DataTypes.StringType)
                .add("__t1", DataTypes.LongType)
                .add("__t1i", DataTypes.BooleanType)
                .add("__t2", DataTypes.LongType)
                .add("__t2i", DataTypes.BooleanType);
        Dataset<Row> thresholds = broadcast(spark.createDataFrame(thresholdRows, thresholdSchema));
        Column h = col(HASH);
        Column belowFirst = h.lt(col("__t1")).or(col("__t1i").and(h.equalTo(col("__t1"))));
        Column belowSecond = h.lt(col("__t2")).or(col("__t2i").and(h.equalTo(col("__t2"))));
        Column ranked =
                when(belowFirst, lit(TRAIN)).when(belowSecond, lit(VALIDATION)).otherwise(lit(TEST));
        Dataset<Row> withThresholds = frame.join(thresholds, STRATUM);
        if (!fixedRows.isEmpty()) {
            StructType fixedSchema = new StructType()
                    .add(STRATUM, DataTypes.StringType)
                    .add(HASH, DataTypes.LongType)
                    .add(FIXED, DataTypes.IntegerType);
            withThresholds = withThresholds.join(
                    broadcast(spark.createDataFrame(fixedRows, fixedSchema)), SparkSeqs.of(STRATUM, HASH), "left");
            ranked = when(col(FIXED).isNotNull(), col(FIXED)).otherwise(ranked);
        }
        Dataset<Row> assigned = withThresholds.withColumn(SPLIT, ranked).drop("__t1", "__t1i", "__t2", "__t2i", FIXED);
        return new Assignment(assigned, found.counts());
    }

    /** The rows' hashes as two small aggregations and a broadcast join read them from a frame. */
    private record FrameHashes(SparkSession spark, Dataset<Row> frame) implements StratumCuts.RowHashes {
        private static Column bucket() {
            return shiftright(col(HASH), 64 - SplitPlanner.BUCKET_BITS)
                    .plus(1 << (SplitPlanner.BUCKET_BITS - 1))
                    .cast("int");
        }

        @Override
        public Map<String, TreeMap<Integer, Long>> histograms() {
            Map<String, TreeMap<Integer, Long>> out = new TreeMap<>();
            for (Row r :
                    frame.groupBy(col(STRATUM), bucket().as(BUCKET)).count().collectAsList()) {
                out.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
            }
            return out;
        }

        @Override
        public Map<String, List<long[]>> largeGroups(Map<StratumCuts.BucketKey, Long> leastRows) {
            List<Row> flagged = new ArrayList<>();
            leastRows.forEach((k, least) -> flagged.add(RowFactory.create(k.stratum(), k.bucket(), least)));
            StructType schema = new StructType()
                    .add(STRATUM, DataTypes.StringType)
                    .add(BUCKET, DataTypes.IntegerType)
                    .add("__least", DataTypes.LongType);
            Dataset<Row> groups = frame.select(col(STRATUM), bucket().as(BUCKET), col(HASH))
                    .join(broadcast(spark.createDataFrame(flagged, schema)), SparkSeqs.of(STRATUM, BUCKET))
                    .groupBy(col(STRATUM), col(HASH), col("__least"))
                    .count()
                    .where(col("count").geq(col("__least")));
            Map<String, List<long[]>> out = new TreeMap<>();
            for (Row r : groups.collectAsList()) {
                out.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                        .add(new long[] {r.getLong(1), r.getLong(3)});
            }
            return out;
        }

        @Override
        public Map<StratumCuts.BucketKey, List<Long>> hashesIn(Set<StratumCuts.BucketKey> buckets) {
            List<Row> boundaryRows = new ArrayList<>();
            buckets.forEach(k -> boundaryRows.add(RowFactory.create(k.stratum(), k.bucket())));
            StructType schema =
                    new StructType().add(STRATUM, DataTypes.StringType).add(BUCKET, DataTypes.IntegerType);
            Dataset<Row> inBoundary = frame.select(col(STRATUM), bucket().as(BUCKET), col(HASH))
                    .join(broadcast(spark.createDataFrame(boundaryRows, schema)), SparkSeqs.of(STRATUM, BUCKET));
            Map<StratumCuts.BucketKey, List<Long>> out = new HashMap<>();
            for (Row r : inBoundary.collectAsList()) {
                out.computeIfAbsent(new StratumCuts.BucketKey(r.getString(0), r.getInt(1)), k -> new ArrayList<>())
                        .add(r.getLong(2));
            }
            return out;
        }
    }

    /**
     * An assignment made before the split stage (windows split by time carry their {@link #SPLIT} already): only the
     * rows per split of every stratum are counted, and every stratum must reach every split.
     */
    public static Assignment preassigned(Dataset<Row> frame, String stratumLabel, String rows, String remedy) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Row r : frame.groupBy(col(STRATUM), col(SPLIT)).count().collectAsList()) {
            counts.computeIfAbsent(r.getString(0), k -> new long[3])[r.getInt(1)] = r.getLong(2);
        }
        Map<String, SplitCounts> splitCounts = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            if (c[TRAIN] < 1 || c[VALIDATION] < 1 || c[TEST] < 1) {
                throw new DataException("split: " + StratumCuts.describe(stratumLabel, e.getKey()) + " has " + c[TRAIN]
                        + " / "
                        + c[VALIDATION] + " / " + c[TEST] + " " + rows + " in train / validation / test; every split "
                        + "needs one (" + remedy + ")");
            }
            splitCounts.put(e.getKey(), new SplitCounts(c[TRAIN], c[VALIDATION], c[TEST]));
        }
        if (splitCounts.isEmpty()) {
            throw new DataException("split: no " + rows + " to split (" + remedy + ")");
        }
        return new Assignment(frame, splitCounts);
    }
}
