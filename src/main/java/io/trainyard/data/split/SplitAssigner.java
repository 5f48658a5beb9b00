package io.trainyard.data.split;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.when;

import io.trainyard.data.source.DataException;
import io.trainyard.data.source.SparkSeqs;
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
    private static final String FIXED = "__fixed";

    private SplitAssigner() {}

    /** The assigned frame (with {@link #SPLIT}) and the rows per split of every stratum. */
    public record Assignment(Dataset<Row> frame, Map<String, SplitCounts> counts) {}

    /**
     * @param frame rows with {@link #HASH} (long) and {@link #STRATUM} (string, non-null) columns; read several times
     * @param stratumLabel how a stratum is named in messages ("class", or "" when the split is not stratified)
     * @param wholeGroups  whether large groups of one hash (one split key, or duplicated rows) are placed whole before
     *                     the cuts; off when the hash is an order (split.order-by), which placement must not break
     */
    public static Assignment assign(
            SparkSession spark,
            Dataset<Row> frame,
            double train,
            double validation,
            String stratumLabel,
            boolean wholeGroups) {
        Column bucket = shiftright(col(HASH), 64 - SplitPlanner.BUCKET_BITS)
                .plus(1 << (SplitPlanner.BUCKET_BITS - 1))
                .cast("int");
        Map<String, TreeMap<Integer, Long>> histograms = new TreeMap<>();
        for (Row r : frame.groupBy(col(STRATUM), bucket.as(BUCKET)).count().collectAsList()) {
            histograms.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
        }
        refuseTooSmall(histograms, train, validation, stratumLabel);
        Map<String, List<long[]>> groups = wholeGroups ? largeGroups(spark, frame, bucket, histograms) : Map.of();

        // Large groups first; then where each stratum's two cuts fall among the other rows, and which buckets'
        // hashes are needed to place them exactly.
        Map<String, Plan> plans = new LinkedHashMap<>();
        List<Row> boundaryRows = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            Plan plan = Plan.of(e.getValue(), groups.getOrDefault(e.getKey(), List.of()), train, validation);
            plans.put(e.getKey(), plan);
            for (SplitPlanner.BucketCut cut : plan.cuts()) {
                if (cut != null && !boundaryRows.contains(RowFactory.create(e.getKey(), cut.bucket()))) {
                    boundaryRows.add(RowFactory.create(e.getKey(), cut.bucket()));
                }
            }
        }
        StructType boundarySchema =
                new StructType().add(STRATUM, DataTypes.StringType).add(BUCKET, DataTypes.IntegerType);
        Dataset<Row> boundaries = spark.createDataFrame(boundaryRows, boundarySchema);
        Map<String, List<Long>> boundaryHashes = new HashMap<>();
        Dataset<Row> inBoundary = frame.select(col(STRATUM), bucket.as(BUCKET), col(HASH))
                .join(broadcast(boundaries), SparkSeqs.of(STRATUM, BUCKET));
        for (Row r : boundaryRows.isEmpty() ? List.<Row>of() : inBoundary.collectAsList()) {
            if (!plans.get(r.getString(0)).grouped().contains(r.getLong(2))) {
                boundaryHashes
                        .computeIfAbsent(r.getString(0) + "\u0000" + r.getInt(1), k -> new ArrayList<>())
                        .add(r.getLong(2));
            }
        }

        List<Row> thresholdRows = new ArrayList<>();
        List<Row> fixedRows = new ArrayList<>();
        Map<String, SplitCounts> splitCounts = new LinkedHashMap<>();
        for (Map.Entry<String, Plan> e : plans.entrySet()) {
            String stratum = e.getKey();
            Plan plan = e.getValue();
            Threshold[] thresholds = new Threshold[2];
            long[] below = new long[2];
            for (int c = 0; c < 2; c++) {
                SplitPlanner.BucketCut cut = plan.cuts()[c];
                if (cut == null) {
                    // The cut is past every ranked row: all of them fall below it.
                    thresholds[c] = new Threshold(Long.MAX_VALUE, true);
                    below[c] = plan.ranked();
                    continue;
                }
                long[] hashes = boundaryHashes.get(stratum + "\u0000" + cut.bucket()).stream()
                        .mapToLong(Long::longValue)
                        .sorted()
                        .toArray();
                SplitPlanner.PlacedCut placed = SplitPlanner.place(hashes, cut.rowsBefore(), plan.ranks()[c]);
                thresholds[c] = placed.threshold();
                below[c] = placed.rowsBelow();
            }
            SplitCounts counts = new SplitCounts(
                    plan.held()[0] + below[0],
                    plan.held()[1] + below[1] - below[0],
                    plan.held()[2] + plan.ranked() - below[1]);
            if (counts.train() < 1 || counts.validation() < 1 || counts.test() < 1) {
                throw new DataException("split: " + describe(stratumLabel, stratum) + " has " + plan.n() + " rows but "
                        + "its split-key groups (" + plan.describeGroups() + ") leave no placement with a row in "
                        + "train, validation and test; check split.key");
            }
            splitCounts.put(stratum, counts);
            thresholdRows.add(RowFactory.create(
                    stratum,
                    thresholds[0].value(),
                    thresholds[0].inclusive(),
                    thresholds[1].value(),
                    thresholds[1].inclusive()));
            for (int g = 0; g < plan.groups().size(); g++) {
                fixedRows.add(RowFactory.create(stratum, plan.groups().get(g)[0], plan.groupSplit()[g]));
            }
        }
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
        return new Assignment(assigned, splitCounts);
    }

    /**
     * The large groups of each stratum as (hash, rows), largest first. Only buckets holding at least a large group's
     * rows are looked into, so on data without large groups this reads nothing beyond the histogram.
     */
    private static Map<String, List<long[]>> largeGroups(
            SparkSession spark, Dataset<Row> frame, Column bucket, Map<String, TreeMap<Integer, Long>> histograms) {
        List<Row> flagged = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            long least = SplitPlanner.largeGroup(
                    e.getValue().values().stream().mapToLong(Long::longValue).sum());
            e.getValue().forEach((b, count) -> {
                if (count >= least) {
                    flagged.add(RowFactory.create(e.getKey(), b, least));
                }
            });
        }
        Map<String, List<long[]>> out = new TreeMap<>();
        if (flagged.isEmpty()) {
            return out;
        }
        StructType schema = new StructType()
                .add(STRATUM, DataTypes.StringType)
                .add(BUCKET, DataTypes.IntegerType)
                .add("__least", DataTypes.LongType);
        Dataset<Row> groups = frame.select(col(STRATUM), bucket.as(BUCKET), col(HASH))
                .join(broadcast(spark.createDataFrame(flagged, schema)), SparkSeqs.of(STRATUM, BUCKET))
                .groupBy(col(STRATUM), col(HASH), col("__least"))
                .count()
                .where(col("count").geq(col("__least")));
        for (Row r : groups.collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new long[] {r.getLong(1), r.getLong(3)});
        }
        out.values().forEach(l -> l.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0])));
        return out;
    }

    /**
     * One stratum's placement: its large groups and their splits, and the two cuts among the other rows.
     *
     * @param groups  (hash, rows) of each large group, largest first
     * @param held    rows the groups put in train, validation and test
     * @param ranked  the other rows, which the cuts divide
     * @param ranks   ranked rows wanted below each cut
     * @param cuts    the bucket holding each cut, null for a cut past every ranked row
     */
    private record Plan(
            long n,
            List<long[]> groups,
            int[] groupSplit,
            java.util.Set<Long> grouped,
            long[] held,
            long ranked,
            long[] ranks,
            SplitPlanner.BucketCut[] cuts) {
        static Plan of(TreeMap<Integer, Long> histogram, List<long[]> groups, double train, double validation) {
            long n = histogram.values().stream().mapToLong(Long::longValue).sum();
            SplitPlanner.GroupPlacement placement = SplitPlanner.placeGroups(
                    n, train, validation, groups.stream().mapToLong(g -> g[1]).toArray());
            TreeMap<Integer, Long> rest = new TreeMap<>(histogram);
            long[] held = new long[3];
            java.util.Set<Long> grouped = new java.util.HashSet<>();
            for (int g = 0; g < groups.size(); g++) {
                long[] group = groups.get(g);
                rest.merge(SplitPlanner.bucketOf(group[0]), -group[1], Long::sum);
                held[placement.groupSplit()[g]] += group[1];
                grouped.add(group[0]);
            }
            rest.values().removeIf(c -> c == 0);
            int[] buckets = rest.keySet().stream().mapToInt(Integer::intValue).toArray();
            long[] counts = rest.values().stream().mapToLong(Long::longValue).toArray();
            long ranked = Arrays.stream(counts).sum();
            long[] ranks = {placement.fill()[0], placement.fill()[0] + placement.fill()[1]};
            SplitPlanner.BucketCut[] cuts = new SplitPlanner.BucketCut[2];
            for (int c = 0; c < 2; c++) {
                cuts[c] = ranks[c] < ranked ? SplitPlanner.locate(buckets, counts, ranks[c]) : null;
            }
            return new Plan(n, groups, placement.groupSplit(), grouped, held, ranked, ranks, cuts);
        }

        String describeGroups() {
            if (groups.isEmpty()) {
                return "none large";
            }
            List<String> sizes =
                    groups.stream().limit(3).map(g -> g[1] + " rows").toList();
            return "the largest " + String.join(", ", sizes) + (groups.size() > 3 ? ", ..." : "");
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

    private static void refuseTooSmall(
            Map<String, TreeMap<Integer, Long>> histograms, double train, double validation, String stratumLabel) {
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
