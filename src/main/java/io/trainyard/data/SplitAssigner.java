package io.trainyard.data;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark side of the exact stratified split ({@link SplitPlanner} holds the arithmetic). Two small aggregations
 * find the cuts: a histogram of hash buckets per stratum, then the hashes of the few buckets that hold a cut.
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

    private SplitAssigner() {
    }

    /** The assigned frame (with {@link #SPLIT}) and the rows per split of every stratum. */
    public record Assignment(Dataset<Row> frame, Map<String, SplitCounts> counts) {
    }

    /**
     * @param frame rows with {@link #HASH} (long) and {@link #STRATUM} (string, non-null) columns; cached by the caller
     * @param stratumLabel how a stratum is named in messages ("class", or "" when the split is not stratified)
     */
    public static Assignment assign(SparkSession spark, Dataset<Row> frame, double train, double validation,
                                    String stratumLabel) {
        Column bucket = shiftright(col(HASH), 64 - SplitPlanner.BUCKET_BITS).plus(1 << (SplitPlanner.BUCKET_BITS - 1))
                .cast("int");
        Map<String, TreeMap<Integer, Long>> histograms = new TreeMap<>();
        for (Row r : frame.groupBy(col(STRATUM), bucket.as(BUCKET)).count().collectAsList()) {
            histograms.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
        }
        refuseTooSmall(histograms, train, validation, stratumLabel);

        // Where each stratum's two cuts fall, and which buckets' hashes are needed to place them exactly.
        Map<String, SplitPlanner.BucketCut[]> located = new LinkedHashMap<>();
        List<Row> boundaryRows = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            int[] buckets = e.getValue().keySet().stream().mapToInt(Integer::intValue).toArray();
            long[] counts = e.getValue().values().stream().mapToLong(Long::longValue).toArray();
            long n = Arrays.stream(counts).sum();
            long[] ranks = SplitPlanner.cutRanks(n, train, validation);
            SplitPlanner.BucketCut[] cuts = {
                SplitPlanner.locate(buckets, counts, ranks[0]), SplitPlanner.locate(buckets, counts, ranks[1])};
            located.put(e.getKey(), cuts);
            boundaryRows.add(RowFactory.create(e.getKey(), cuts[0].bucket()));
            if (cuts[1].bucket() != cuts[0].bucket()) {
                boundaryRows.add(RowFactory.create(e.getKey(), cuts[1].bucket()));
            }
        }
        StructType boundarySchema = new StructType().add(STRATUM, DataTypes.StringType).add(BUCKET, DataTypes.IntegerType);
        Dataset<Row> boundaries = spark.createDataFrame(boundaryRows, boundarySchema);
        Map<String, List<Long>> boundaryHashes = new HashMap<>();
        Dataset<Row> inBoundary = frame.select(col(STRATUM), bucket.as(BUCKET), col(HASH))
                .join(broadcast(boundaries), SparkSeqs.of(STRATUM, BUCKET));
        for (Row r : inBoundary.collectAsList()) {
            boundaryHashes.computeIfAbsent(r.getString(0) + "\u0000" + r.getInt(1), k -> new ArrayList<>())
                    .add(r.getLong(2));
        }

        List<Row> thresholdRows = new ArrayList<>();
        Map<String, SplitCounts> splitCounts = new LinkedHashMap<>();
        for (Map.Entry<String, SplitPlanner.BucketCut[]> e : located.entrySet()) {
            String stratum = e.getKey();
            long n = histograms.get(stratum).values().stream().mapToLong(Long::longValue).sum();
            long[] ranks = SplitPlanner.cutRanks(n, train, validation);
            SplitPlanner.PlacedCut[] placed = new SplitPlanner.PlacedCut[2];
            for (int c = 0; c < 2; c++) {
                SplitPlanner.BucketCut cut = e.getValue()[c];
                long[] hashes = boundaryHashes.get(stratum + "\u0000" + cut.bucket()).stream()
                        .mapToLong(Long::longValue).sorted().toArray();
                placed[c] = SplitPlanner.place(hashes, cut.rowsBefore(), ranks[c]);
            }
            SplitCounts counts = new SplitCounts(placed[0].rowsBelow(), placed[1].rowsBelow() - placed[0].rowsBelow(),
                    n - placed[1].rowsBelow());
            if (counts.train() < 1 || counts.validation() < 1 || counts.test() < 1) {
                throw new DataException("split: " + describe(stratumLabel, stratum) + " has " + n + " rows but too many "
                        + "share one split key to place a row in train, validation and test; check split.key");
            }
            splitCounts.put(stratum, counts);
            thresholdRows.add(RowFactory.create(stratum, placed[0].threshold().value(), placed[0].threshold().inclusive(),
                    placed[1].threshold().value(), placed[1].threshold().inclusive()));
        }
        StructType thresholdSchema = new StructType().add(STRATUM, DataTypes.StringType)
                .add("__t1", DataTypes.LongType).add("__t1i", DataTypes.BooleanType)
                .add("__t2", DataTypes.LongType).add("__t2i", DataTypes.BooleanType);
        Dataset<Row> thresholds = broadcast(spark.createDataFrame(thresholdRows, thresholdSchema));
        Column h = col(HASH);
        Column belowFirst = h.lt(col("__t1")).or(col("__t1i").and(h.equalTo(col("__t1"))));
        Column belowSecond = h.lt(col("__t2")).or(col("__t2i").and(h.equalTo(col("__t2"))));
        Dataset<Row> assigned = frame.join(thresholds, STRATUM)
                .withColumn(SPLIT, when(belowFirst, lit(TRAIN)).when(belowSecond, lit(VALIDATION)).otherwise(lit(TEST)))
                .drop("__t1", "__t1i", "__t2", "__t2i");
        return new Assignment(assigned, splitCounts);
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
                throw new DataException("split: " + describe(stratumLabel, e.getKey()) + " has " + c[TRAIN] + " / "
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

    private static void refuseTooSmall(Map<String, TreeMap<Integer, Long>> histograms, double train, double validation,
                                       String stratumLabel) {
        List<String> small = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            long n = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            if (!SplitPlanner.fitsEverySplit(n, train, validation)) {
                small.add(describe(stratumLabel, e.getKey()) + " has " + n + (n == 1 ? " row" : " rows"));
            }
        }
        if (!small.isEmpty()) {
            throw new DataException("split: too few rows to place at least one in each of train, validation and test ("
                    + String.join("; ", small) + "); each needs at least "
                    + SplitPlanner.smallestSplittable(train, validation) + " at these shares");
        }
    }

    private static String describe(String stratumLabel, String stratum) {
        return stratumLabel.isEmpty() ? "the data" : stratumLabel + " '" + stratum + "'";
    }
}
