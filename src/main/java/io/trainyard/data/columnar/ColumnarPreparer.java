package io.trainyard.data.columnar;

import io.trainyard.data.features.ColumnMoments;
import io.trainyard.data.features.ColumnScan;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.LabelInference;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.NullCensus;
import io.trainyard.data.features.TargetScale;
import io.trainyard.data.features.TrainStatsFitter;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.SourceData;
import io.trainyard.data.split.SplitCounts;
import io.trainyard.data.split.SplitKeys;
import io.trainyard.data.split.StratumCuts;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.data.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import scala.Tuple2;

/**
 * Preparation over column arrays ({@link RowBlock}s read once from Parquet's vectorised batches and held in memory),
 * step by step as the row path goes: {@link #census}, {@link #classes}, {@link #split}, {@link #fit}, {@link #pack}.
 * Each step is one Spark job over the blocks. {@link #close} releases them.
 */
public final class ColumnarPreparer implements AutoCloseable {
    /** Spark's seed for the hash that places a row in a partition ({@code repartition(n, column)}). */
    private static final int PARTITION_SEED = 42;
    /** Rows packed together, column by column. */
    private static final int TILE = 512;

    private final BlockLayout layout;
    private final JavaRDD<RowBlock> blocks;
    private final JobSpec spec;
    private final FeatureSelector.Selection selection;
    private BlockSummary summary;
    private JavaRDD<PackedRows> packed;
    private StratumCuts cuts;

    ColumnarPreparer(BlockLayout layout, JavaRDD<RowBlock> blocks, JobSpec spec, FeatureSelector.Selection selection) {
        this.layout = layout;
        this.blocks = blocks;
        this.spec = spec;
        this.selection = selection;
    }

    /**
     * The columnar reader for this job, or why the row path must prepare it.
     *
     * @param source              the source as opened, before any selection
     * @param minibatchPartitions the partitions the minibatches are cut into
     */
    public static Opened open(
            JobSpec spec,
            SourceData source,
            FeatureSelector.Selection selection,
            Task task,
            boolean stratified,
            int minibatchPartitions) {
        return ColumnarSource.open(spec, source, selection, task, stratified, minibatchPartitions);
    }

    /** A reader, or the reason there is none. */
    public record Opened(ColumnarPreparer preparer, String rowPathBecause) {}

    /**
     * The first pass: reads every block into memory and summarises it.
     *
     * @return why the rows must be read as Spark rows after all (a category with too many values), or null
     */
    public String read() {
        boolean stratified = layout.stratified();
        summary = blocks.map(b -> b.summary(stratified)).reduce(BlockSummary::merge);
        return summary.overflow;
    }

    /** The null census of the first pass, as the null policy judges it (after {@link #read}). */
    public NullCensus census(List<ModelInput> inputs) {
        return NullCensus.judge(
                summary.rows,
                summary.rowsWithNull,
                summary.nulls,
                NullCensus.names(inputs, spec.data().label()),
                layout.nulls(),
                List.of());
    }

    /** A classification's classes, from the usable rows (after {@link #census}). */
    public List<String> classes() {
        return LabelInference.classes(new ArrayList<>(summary.classes.keySet()), selection, spec.data());
    }

    /** The exact split, from the census pass's histograms and one pass for the hashes at the cuts. */
    public Map<String, SplitCounts> split() {
        boolean stratified = layout.stratified();
        JavaRDD<RowBlock> rows = blocks;
        cuts = StratumCuts.find(
                new StratumCuts.RowHashes() {
                    @Override
                    public Map<String, TreeMap<Integer, Long>> histograms() {
                        return summary.histograms;
                    }

                    @Override
                    public Map<String, List<long[]>> largeGroups(Map<StratumCuts.BucketKey, Long> leastRows) {
                        Set<StratumCuts.BucketKey> buckets = new HashSet<>(leastRows.keySet());
                        Map<String, Map<Long, Long>> counts =
                                rows.map(b -> b.hashCounts(buckets, stratified)).reduce(ColumnarPreparer::sumCounts);
                        Map<String, List<long[]>> out = new TreeMap<>();
                        counts.forEach((stratum, byHash) -> byHash.forEach((hash, n) -> {
                            long least = leastRows.get(new StratumCuts.BucketKey(
                                    stratum, io.trainyard.data.split.SplitPlanner.bucketOf(hash)));
                            if (n >= least) {
                                out.computeIfAbsent(stratum, k -> new ArrayList<>())
                                        .add(new long[] {hash, n});
                            }
                        }));
                        return out;
                    }

                    @Override
                    public Map<StratumCuts.BucketKey, List<Long>> hashesIn(Set<StratumCuts.BucketKey> buckets) {
                        Set<StratumCuts.BucketKey> wanted = new HashSet<>(buckets);
                        return rows.map(b -> b.hashesIn(wanted, stratified)).reduce((a, b) -> {
                            b.forEach((k, v) ->
                                    a.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                            return a;
                        });
                    }
                },
                spec.split().train(),
                spec.split().validation(),
                stratified ? "class" : "",
                true);
        if (!layout.classification() || stratified) {
            return cuts.counts();
        }
        StratumCuts found = cuts;
        Map<String, long[]> byClass = blocks.map(b -> b.classSplitCounts(b.splits(found, false)))
                .reduce((a, b) -> {
                    b.forEach((c, n) -> {
                        long[] mine = a.computeIfAbsent(c, k -> new long[3]);
                        for (int s = 0; s < 3; s++) {
                            mine[s] += n[s];
                        }
                    });
                    return a;
                });
        return SplitKeys.classCounts(byClass);
    }

    private static Map<String, Map<Long, Long>> sumCounts(
            Map<String, Map<Long, Long>> a, Map<String, Map<Long, Long>> b) {
        b.forEach((stratum, byHash) -> {
            Map<Long, Long> mine = a.computeIfAbsent(stratum, k -> new HashMap<>());
            byHash.forEach((h, n) -> mine.merge(h, n, Long::sum));
        });
        return a;
    }

    /** What the train split gives: the inputs' moments (and a scaled label's), fitted as the row path fits them. */
    public record Fit(TrainStatsFitter.Fitted fitted, TargetScale target) {}

    public Fit fit(List<ModelInput> unfitted, boolean scalesTarget) {
        StratumCuts split = cuts;
        boolean stratified = layout.stratified();
        List<TrainCounts> counts = blocks.map(b -> {
                    int[] train = b.rowsIn(b.splits(split, stratified), 0);
                    return new TrainCounts(
                            b.inputMoments(train),
                            b.categoryCounts(train),
                            scalesTarget ? b.labelMoments(train) : null);
                })
                .collect();
        // Merged in partition order: the moments do not depend on which task finished first.
        ColumnScan.Partial inputs = ColumnScan.moments(layout.scalars());
        ColumnScan.Partial label = ColumnScan.moments(1);
        List<Map<String, Long>> categories = new ArrayList<>();
        for (int j = 0; j < layout.categoricals(); j++) {
            categories.add(new HashMap<>());
        }
        for (TrainCounts c : counts) {
            inputs.merge(c.inputs);
            for (int j = 0; j < categories.size(); j++) {
                Map<String, Long> merged = categories.get(j);
                c.categories.get(j).forEach((value, n) -> merged.merge(value, n, Long::sum));
            }
            if (scalesTarget) {
                label.merge(c.label);
            }
        }
        List<ColumnMoments> moments = new ArrayList<>();
        List<ModelInput> scalarInputs =
                unfitted.stream().filter(i -> !i.categorical()).toList();
        for (int i = 0; i < scalarInputs.size(); i++) {
            moments.add(inputs.moments(i, scalarInputs.get(i).name()));
        }
        List<List<String>> vocabularies = categories.stream()
                .map(c -> Vocabulary.top(
                        c, spec.data().minCategoryCount(), spec.data().maxCategories()))
                .toList();
        TrainStatsFitter.Fitted fitted =
                TrainStatsFitter.fit(unfitted, moments, vocabularies, spec.data(), spec.normalize());
        TargetScale target = null;
        if (scalesTarget) {
            ColumnMoments m = label.moments(0, "label");
            target = TrainStatsFitter.targetScale(m.nonNull() == 0 ? null : m.mean(), Math.sqrt(m.varPop()));
        }
        return new Fit(fitted, target);
    }

    /** One block's train-split statistics (a class, not a record: task results travel through Kryo). */
    private static final class TrainCounts implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final ColumnScan.Partial inputs;
        final List<Map<String, Long>> categories;
        final ColumnScan.Partial label;

        TrainCounts(ColumnScan.Partial inputs, List<Map<String, Long>> categories, ColumnScan.Partial label) {
            this.inputs = inputs;
            this.categories = categories;
            this.label = label;
        }
    }

    /**
     * The usable rows encoded (label, imputed and normalised inputs) and packed per minibatch partition, each
     * partition's rows in the seeded order: the partition and order of the row path's
     * {@code repartition(partitions, order).sortWithinPartitions(order, tie)} (see {@link RowBlock#hash} on ties). Held in memory (one pack per
     * partition) until {@link #close}, for each split's minibatches to be cut from.
     */
    public JavaRDD<PackedRows> pack(FeaturePlan plan, NormalizerStats stats, int partitions) {
        StratumCuts split = cuts;
        BlockLayout l = layout;
        Encoding encoding = Encoding.of(plan, stats);
        packed = blocks.flatMapToPair(
                        b -> pack(b, split, l, encoding, partitions).iterator())
                .partitionBy(new HashPartitioner(partitions))
                .mapPartitions(it -> {
                    List<PackedRows> parts = new ArrayList<>();
                    it.forEachRemaining(t -> parts.add(t._2()));
                    return List.of(PackedRows.sorted(parts)).iterator();
                })
                .persist(StorageLevel.MEMORY_ONLY());
        return packed;
    }

    private static List<Tuple2<Integer, PackedRows>> pack(
            RowBlock b, StratumCuts cuts, BlockLayout layout, Encoding encoding, int partitions) {
        byte[] splits = b.splits(cuts, layout.stratified());
        int[] target = new int[b.rows];
        long[] order = b.orders(splits, layout.orderSeed());
        int[] sizes = new int[partitions];
        for (int r = 0; r < b.rows; r++) {
            if (splits[r] >= 0) {
                target[r] = Math.floorMod(Murmur3_x86_32.hashLong(order[r], PARTITION_SEED), partitions);
                sizes[target[r]]++;
            }
        }
        float[] classOf = encoding.classIndices(b.labels);
        int[][] slotOf = encoding.categorySlots(b.categories);
        PackedRows[] packs = new PackedRows[partitions];
        for (int p = 0; p < partitions; p++) {
            packs[p] = new PackedRows(b.x.length, b.codes.length, sizes[p]);
        }
        int[] rowIn = new int[b.rows];
        for (int r = 0; r < b.rows; r++) {
            if (splits[r] >= 0) {
                float label = b.label != null ? classOf[b.label[r]] : encoding.label(b.y[r]);
                rowIn[r] = packs[target[r]].add(order[r], splits[r], label);
            }
        }
        // In tiles of rows, column by column: the reads run along each column and the writes stay in a tile's
        // few hundred kilobytes of packed rows.
        for (int from = 0; from < b.rows; from += TILE) {
            int to = Math.min(b.rows, from + TILE);
            for (int i = 0; i < b.x.length; i++) {
                double[] column = b.x[i];
                for (int r = from; r < to; r++) {
                    if (splits[r] >= 0) {
                        packs[target[r]].setScalar(rowIn[r], i, encoding.input(i, column[r]));
                    }
                }
            }
            for (int j = 0; j < b.codes.length; j++) {
                int[] column = b.codes[j];
                for (int r = from; r < to; r++) {
                    if (splits[r] >= 0) {
                        packs[target[r]].setSlot(rowIn[r], j, encoding.slot(j, slotOf[j], column[r]));
                    }
                }
            }
        }
        List<Tuple2<Integer, PackedRows>> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (packs[p].rows() > 0) {
                out.add(new Tuple2<>(p, packs[p]));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (packed != null) {
            packed.unpersist(false);
        }
        blocks.unpersist(false);
    }

    /** Cached in memory only: a block evicted under pressure is read again from Parquet, never spilled. */
    static JavaRDD<RowBlock> cached(JavaRDD<RowBlock> blocks) {
        return blocks.persist(StorageLevel.MEMORY_ONLY());
    }
}
