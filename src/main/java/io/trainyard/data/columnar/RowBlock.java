package io.trainyard.data.columnar;

import io.trainyard.data.features.ColumnScan;
import io.trainyard.data.split.SplitPlanner;
import io.trainyard.data.split.StratumCuts;
import io.trainyard.spec.data.NullPolicy;
import io.trainyard.spec.data.TimestampPart;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * One partition's rows as columns: each scalar input as doubles (NaN where the value is null, NaN or infinite, as the
 * row path's {@code CAST(x AS DOUBLE)} with non-finite values nulled; a timestamp's parts in the session time zone),
 * each categorical input and a class label as codes into the block's own values, a value label as doubles, and the
 * seeded split hash of the row's source values. Read once from the scan's batches and held in memory; every later
 * pass is a loop over these arrays.
 */
final class RowBlock {
    /** Spark's default seed for {@code xxhash64}. */
    private static final long SPARK_SEED = 42L;
    /**
     * Distinct values of a category one block codes; a column with more (an id, say) is read as Spark rows, whose
     * vocabulary query never holds every value in one place.
     */
    static final int MAX_CATEGORY_VALUES = 100_000;

    final int rows;
    /** [scalar input][row]. */
    final double[][] x;
    /** [categorical input][row]: a code into {@link #categories}, -1 for null. */
    final int[][] codes;

    final List<List<String>> categories;
    /** A class label's index into {@link #labels}, -1 for null; null for a value label. */
    final int[] label;
    /** The distinct class labels of this block, as strings, in order of first appearance. */
    final List<String> labels;
    /** A value label, NaN for null; null for a class label. */
    final double[] y;
    /**
     * The split hash, {@code xxhash64(splitSeed, label, features...)}. The row path's second hash, its order's
     * tie-break over the same columns, is not kept: it can only break ties between rows of equal split hash, which
     * are equal rows (or a 64-bit collision), so {@link OrderSort} orders those by their encoded values instead.
     */
    final long[] hash;
    /** Rows the null policy keeps (a label, and under {@code drop} every input). */
    final boolean[] usable;
    /** Why this block cannot be prepared from columns (a category past {@link #MAX_CATEGORY_VALUES}), or null. */
    final String overflow;
    /** The census, taken while reading: nulls of the label, then of each input; rows with any null. */
    final long[] nulls;

    final long rowsWithNull;

    private RowBlock(Growing g, NullPolicy policy) {
        this.rows = g.rows;
        this.x = g.x;
        this.codes = g.codes;
        this.categories = g.dictionaries.stream().map(Dictionary::values).toList();
        String over = null;
        for (BlockLayout.Feature f : g.layout.features()) {
            if (f.kind() == BlockLayout.Kind.CATEGORICAL
                    && g.dictionaries.get(f.slot()).overflowed()
                    && over == null) {
                over = "category '" + f.name() + "' has over " + MAX_CATEGORY_VALUES
                        + " distinct values in one partition";
            }
        }
        this.overflow = over;
        this.label = g.label;
        this.labels = g.labels.values();
        this.y = g.y;
        this.hash = g.hash;
        this.nulls = g.nulls;
        this.usable = new boolean[rows];
        long withNull = 0;
        for (int r = 0; r < rows; r++) {
            boolean labelled = labelled(r);
            if (!labelled) {
                nulls[0]++;
            }
            withNull += g.anyNull[r] || !labelled ? 1 : 0;
            usable[r] = labelled && (policy != NullPolicy.DROP || !g.anyNull[r]);
        }
        this.rowsWithNull = withNull;
    }

    /** Reads a partition's batches, column by column (each vector is reused by the reader, so it is copied here). */
    static RowBlock read(Iterator<ColumnarBatch> batches, BlockLayout layout) {
        Growing g = new Growing(layout);
        long splitStart = XXH64.hashLong(layout.splitSeed(), SPARK_SEED);
        while (batches.hasNext()) {
            ColumnarBatch batch = batches.next();
            int n = batch.numRows();
            int base = g.reserve(n);
            Arrays.fill(g.hash, base, base + n, splitStart);
            g.readLabel(batch.column(layout.labelColumn()), base, n);
            for (BlockLayout.Feature f : layout.features()) {
                ColumnVector v = batch.column(f.column());
                switch (f.kind()) {
                    case SCALAR -> {
                        if (f.reader() == ColumnReader.DOUBLE && !v.hasNull()) {
                            g.readDoubles(f, v, base, n);
                        } else {
                            g.readScalar(f, v, base, n);
                        }
                    }
                    case TIMESTAMP -> g.readTimestamp(f, v, base, n);
                    case CATEGORICAL -> g.readCategory(f, v, base, n);
                    default -> throw new IllegalStateException("unhandled " + f.kind());
                }
            }
        }
        return g.finish();
    }

    boolean labelled(int r) {
        return label != null ? label[r] >= 0 : !Double.isNaN(y[r]);
    }

    /** The row's stratum: its class when the split is stratified, else the one stratum "all". */
    String stratum(int r, boolean stratified) {
        return stratified ? labels.get(label[r]) : "all";
    }

    /** The census, class counts and split histogram of this block. */
    BlockSummary summary(boolean stratified) {
        return BlockSummary.of(this, stratified);
    }

    /** The hashes of usable rows in the given stratum buckets. */
    Map<StratumCuts.BucketKey, List<Long>> hashesIn(Set<StratumCuts.BucketKey> buckets, boolean stratified) {
        Map<StratumCuts.BucketKey, List<Long>> out = new HashMap<>();
        for (int r = 0; r < rows; r++) {
            if (usable[r]) {
                StratumCuts.BucketKey key =
                        new StratumCuts.BucketKey(stratum(r, stratified), SplitPlanner.bucketOf(hash[r]));
                if (buckets.contains(key)) {
                    out.computeIfAbsent(key, k -> new ArrayList<>()).add(hash[r]);
                }
            }
        }
        return out;
    }

    /** Rows per hash in the given stratum buckets, as stratum, then hash and rows (to be summed over blocks). */
    Map<String, Map<Long, Long>> hashCounts(Set<StratumCuts.BucketKey> buckets, boolean stratified) {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        hashesIn(buckets, stratified).forEach((key, hashes) -> {
            Map<Long, Long> counts = out.computeIfAbsent(key.stratum(), k -> new HashMap<>());
            hashes.forEach(h -> counts.merge(h, 1L, Long::sum));
        });
        return out;
    }

    /** The split of every row (-1 for rows the null policy drops). */
    byte[] splits(StratumCuts cuts, boolean stratified) {
        byte[] out = new byte[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = usable[r] ? (byte) cuts.cuts().get(stratum(r, stratified)).splitOf(hash[r]) : -1;
        }
        return out;
    }

    /** Usable rows per split of each class, classes in order. */
    TreeMap<String, long[]> classSplitCounts(byte[] splits) {
        TreeMap<String, long[]> out = new TreeMap<>();
        for (int r = 0; r < rows; r++) {
            if (splits[r] >= 0) {
                out.computeIfAbsent(labels.get(label[r]), k -> new long[3])[splits[r]]++;
            }
        }
        return out;
    }

    /**
     * Moments of each scalar input over the usable train rows (nulls count as rows, not values): per column a sum,
     * then the squared deviations from its mean, combined with other blocks' as Chan et al. combine partial moments.
     */
    ColumnScan.Partial inputMoments(int[] train) {
        ColumnScan.Partial p = ColumnScan.moments(x.length);
        p.addRows(train.length);
        for (int i = 0; i < x.length; i++) {
            double[] column = x[i];
            long n = 0;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int r : train) {
                double v = column[r];
                if (v == v) {
                    n++;
                    sum += v;
                    min = v < min ? v : min;
                    max = v > max ? v : max;
                }
            }
            if (n == 0) {
                continue;
            }
            double mean = sum / n;
            double m2 = 0;
            for (int r : train) {
                double v = column[r];
                if (v == v) {
                    m2 += (v - mean) * (v - mean);
                }
            }
            p.add(i, n, mean, m2, min, max);
        }
        return p;
    }

    /** Each categorical input's values with their usable train rows (nulls not counted). */
    List<Map<String, Long>> categoryCounts(int[] train) {
        List<Map<String, Long>> out = new ArrayList<>();
        for (int j = 0; j < codes.length; j++) {
            long[] perCode = new long[categories.get(j).size()];
            for (int r : train) {
                if (codes[j][r] >= 0) {
                    perCode[codes[j][r]]++;
                }
            }
            Map<String, Long> counts = new HashMap<>();
            for (int c = 0; c < perCode.length; c++) {
                if (perCode[c] > 0) {
                    counts.put(categories.get(j).get(c), perCode[c]);
                }
            }
            out.add(counts);
        }
        return out;
    }

    /** Moments of a value label over the usable train rows. */
    ColumnScan.Partial labelMoments(int[] train) {
        ColumnScan.Partial p = ColumnScan.moments(1);
        p.addRows(train.length);
        for (int r : train) {
            p.add(0, y[r]);
        }
        return p;
    }

    /**
     * The rows of one split, listed once for the statistics' loops (a test of the split per value would be a branch
     * the CPU mispredicts).
     */
    int[] rowsIn(byte[] splits, int split) {
        int[] out = new int[rows];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (splits[r] == split) {
                out[n++] = r;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The row-order hash of each usable row, {@code xxhash64(orderSeed, splitHash)}; 0 for dropped rows. */
    long[] orders(byte[] splits, long orderSeed) {
        long start = XXH64.hashLong(orderSeed, SPARK_SEED);
        long[] out = new long[rows];
        for (int r = 0; r < rows; r++) {
            if (splits[r] >= 0) {
                out[r] = XXH64.hashLong(hash[r], start);
            }
        }
        return out;
    }

    /** Arrays that grow as batches arrive, trimmed to the rows read at the end. */
    private static final class Growing {
        final BlockLayout layout;
        final ZoneId zone;
        int rows;
        double[][] x;
        int[][] codes;
        final List<Dictionary> dictionaries = new ArrayList<>();
        final Dictionary labels;
        int[] label;
        double[] y;
        long[] hash = new long[0];
        boolean[] anyNull = new boolean[0];
        final long[] nulls;

        Growing(BlockLayout layout) {
            this.layout = layout;
            this.zone = ZoneId.of(layout.timeZone());
            // One class more than a classification may have is enough to refuse it.
            this.labels = new Dictionary(layout.maxClasses() + 1);
            x = new double[layout.scalars()][0];
            codes = new int[layout.categoricals()][0];
            for (int j = 0; j < layout.categoricals(); j++) {
                dictionaries.add(new Dictionary(MAX_CATEGORY_VALUES));
            }
            label = layout.classification() ? new int[0] : null;
            y = layout.classification() ? null : new double[0];
            nulls = new long[1 + layout.inputs()];
        }

        int reserve(int n) {
            int base = rows;
            rows += n;
            if (rows > hash.length) {
                int capacity = Math.max(rows, hash.length * 2);
                for (int i = 0; i < x.length; i++) {
                    x[i] = Arrays.copyOf(x[i], capacity);
                }
                for (int j = 0; j < codes.length; j++) {
                    codes[j] = Arrays.copyOf(codes[j], capacity);
                }
                label = label == null ? null : Arrays.copyOf(label, capacity);
                y = y == null ? null : Arrays.copyOf(y, capacity);
                hash = Arrays.copyOf(hash, capacity);
                anyNull = Arrays.copyOf(anyNull, capacity);
            }
            return base;
        }

        void readLabel(ColumnVector v, int base, int n) {
            ColumnReader reader = layout.label();
            for (int r = 0; r < n; r++) {
                int at = base + r;
                if (v.isNullAt(r)) {
                    if (label != null) {
                        label[at] = -1;
                    } else {
                        y[at] = Double.NaN;
                    }
                    continue;
                }
                hash[at] = reader.hash(v, r, hash[at]);
                if (label != null) {
                    label[at] = labels.code(v, r, reader);
                } else {
                    double d = reader.value(v, r);
                    y[at] = Double.isFinite(d) ? d : Double.NaN;
                }
            }
        }

        /**
         * A double column without nulls, the common case, in bulk: copied, hashed from its own values (Spark hashes
         * a double's bits, -0.0 as 0.0), then non-finite values nulled and counted.
         */
        void readDoubles(BlockLayout.Feature f, ColumnVector v, int base, int n) {
            double[] column = x[f.slot()];
            System.arraycopy(v.getDoubles(0, n), 0, column, base, n);
            for (int at = base; at < base + n; at++) {
                double d = column[at];
                hash[at] = XXH64.hashLong(d == -0.0d ? 0L : Double.doubleToLongBits(d), hash[at]);
                if (!Double.isFinite(d)) {
                    nulled(f.input(), at);
                    column[at] = Double.NaN;
                }
            }
        }

        /** Any other scalar column, value by value through its reader. */
        void readScalar(BlockLayout.Feature f, ColumnVector v, int base, int n) {
            double[] column = x[f.slot()];
            ColumnReader reader = f.reader();
            boolean hasNull = v.hasNull();
            for (int r = 0; r < n; r++) {
                int at = base + r;
                double d = Double.NaN;
                if (!hasNull || !v.isNullAt(r)) {
                    d = reader.value(v, r);
                    hash[at] = reader.hash(v, r, hash[at]);
                }
                if (Double.isFinite(d)) {
                    column[at] = d;
                } else {
                    nulled(f.input(), at);
                    column[at] = Double.NaN;
                }
            }
        }

        /** A timestamp (microseconds since the epoch) as its parts in the session time zone, as Spark computes them. */
        void readTimestamp(BlockLayout.Feature f, ColumnVector v, int base, int n) {
            List<TimestampPart> parts = layout.parts();
            for (int r = 0; r < n; r++) {
                int at = base + r;
                if (v.isNullAt(r)) {
                    for (int p = 0; p < parts.size(); p++) {
                        nulled(f.input() + p, at);
                        x[f.slot() + p][at] = Double.NaN;
                    }
                    continue;
                }
                long micros = v.getLong(r);
                hash[at] = XXH64.hashLong(micros, hash[at]);
                LocalDateTime t = local(micros);
                for (int p = 0; p < parts.size(); p++) {
                    x[f.slot() + p][at] = part(parts.get(p), t);
                }
            }
        }

        private LocalDateTime local(long micros) {
            long seconds = Math.floorDiv(micros, 1_000_000L);
            int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
            ZoneOffset offset = zone.getRules().getOffset(java.time.Instant.ofEpochSecond(seconds));
            return LocalDateTime.ofEpochSecond(seconds, nanos, offset);
        }

        private static double part(TimestampPart part, LocalDateTime t) {
            return switch (part) {
                case HOUR -> t.getHour();
                case MINUTE -> t.getMinute();
                // Spark's dayofweek: 1 for Sunday to 7 for Saturday.
                case DAY_OF_WEEK -> t.getDayOfWeek().getValue() % 7 + 1;
                case DAY_OF_MONTH -> t.getDayOfMonth();
                case DAY_OF_YEAR -> t.getDayOfYear();
                case MONTH -> t.getMonthValue();
                case YEAR -> t.getYear();
            };
        }

        /** A category as a code into the block's values of its column ({@code CAST(x AS STRING)}). */
        void readCategory(BlockLayout.Feature f, ColumnVector v, int base, int n) {
            int[] column = codes[f.slot()];
            Dictionary dictionary = dictionaries.get(f.slot());
            ColumnReader reader = f.reader();
            boolean hasNull = v.hasNull();
            for (int r = 0; r < n; r++) {
                int at = base + r;
                if (hasNull && v.isNullAt(r)) {
                    nulled(f.input(), at);
                    column[at] = -1;
                    continue;
                }
                hash[at] = reader.hash(v, r, hash[at]);
                column[at] = dictionary.code(v, r, reader);
            }
        }

        private void nulled(int input, int at) {
            nulls[1 + input]++;
            anyNull[at] = true;
        }

        RowBlock finish() {
            for (int i = 0; i < x.length; i++) {
                x[i] = Arrays.copyOf(x[i], rows);
            }
            for (int j = 0; j < codes.length; j++) {
                codes[j] = Arrays.copyOf(codes[j], rows);
            }
            label = label == null ? null : Arrays.copyOf(label, rows);
            y = y == null ? null : Arrays.copyOf(y, rows);
            hash = Arrays.copyOf(hash, rows);
            anyNull = Arrays.copyOf(anyNull, rows);
            return new RowBlock(this, layout.nulls());
        }
    }
}
