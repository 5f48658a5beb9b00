package io.trainyard.data.columnar;

import io.trainyard.data.features.ColumnScan;
import io.trainyard.data.split.SplitPlanner;
import io.trainyard.data.split.StratumCuts;
import io.trainyard.spec.data.NullPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * One partition's rows as columns: each input as doubles (NaN where the value is null, NaN or infinite, as the row
 * path's {@code CAST(x AS DOUBLE)} with non-finite values nulled), the label as a class code or a double, and the two
 * seeded hashes of the row's source values. Read once from the scan's batches and held in memory; every later pass
 * is a loop over these arrays.
 */
final class RowBlock {
    /** Spark's default seed for {@code xxhash64}. */
    private static final long SPARK_SEED = 42L;

    final int rows;
    /** [input][row]. */
    final double[][] x;
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
    /** The census, taken while reading: nulls of the label, then of each input; rows with any null. */
    final long[] nulls;

    final long rowsWithNull;

    private RowBlock(Growing g, List<String> labels, NullPolicy policy) {
        this.rows = g.rows;
        this.x = g.x;
        this.label = g.label;
        this.labels = List.copyOf(labels);
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
        Growing g = new Growing(layout.inputs(), layout.classification());
        Map<String, Integer> codes = new HashMap<>();
        List<String> labels = new ArrayList<>();
        long splitStart = XXH64.hashLong(layout.splitSeed(), SPARK_SEED);
        while (batches.hasNext()) {
            ColumnarBatch batch = batches.next();
            int n = batch.numRows();
            int base = g.reserve(n);
            Arrays.fill(g.hash, base, base + n, splitStart);
            ColumnVector lv = batch.column(layout.labelColumn());
            ColumnReader lr = layout.label();
            for (int r = 0; r < n; r++) {
                int at = base + r;
                if (lv.isNullAt(r)) {
                    if (layout.classification()) {
                        g.label[at] = -1;
                    } else {
                        g.y[at] = Double.NaN;
                    }
                    continue;
                }
                g.hash[at] = lr.hash(lv, r, g.hash[at]);
                if (layout.classification()) {
                    g.label[at] = codes.computeIfAbsent(lr.text(lv, r), t -> {
                        labels.add(t);
                        return labels.size() - 1;
                    });
                } else {
                    g.y[at] = finiteOrNaN(lr.value(lv, r));
                }
            }
            for (int i = 0; i < layout.inputs(); i++) {
                ColumnVector v = batch.column(layout.featureColumns()[i]);
                if (layout.features()[i] == ColumnReader.DOUBLE && !v.hasNull()) {
                    g.readDoubles(i, v, base, n);
                } else {
                    g.readAny(i, v, layout.features()[i], base, n);
                }
            }
        }
        return g.finish(labels, layout.nulls());
    }

    private static double finiteOrNaN(double d) {
        return Double.isFinite(d) ? d : Double.NaN;
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
    Map<StratumCuts.BucketKey, List<Long>> hashesIn(java.util.Set<StratumCuts.BucketKey> buckets, boolean stratified) {
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
    Map<String, Map<Long, Long>> hashCounts(java.util.Set<StratumCuts.BucketKey> buckets, boolean stratified) {
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
    java.util.TreeMap<String, long[]> classSplitCounts(byte[] splits) {
        java.util.TreeMap<String, long[]> out = new java.util.TreeMap<>();
        for (int r = 0; r < rows; r++) {
            if (splits[r] >= 0) {
                out.computeIfAbsent(labels.get(label[r]), k -> new long[3])[splits[r]]++;
            }
        }
        return out;
    }

    /**
     * Moments of each input over the usable train rows (nulls count as rows, not values): per column a sum, then
     * the squared deviations from its mean, combined with other blocks' as Chan et al. combine partial moments.
     */
    ColumnScan.Partial inputMoments(byte[] splits) {
        // The train rows listed once: a test of the split per value would be a branch the CPU mispredicts.
        int[] train = new int[rows];
        int trainRows = 0;
        for (int r = 0; r < rows; r++) {
            if (splits[r] == 0) {
                train[trainRows++] = r;
            }
        }
        ColumnScan.Partial p = ColumnScan.moments(x.length);
        p.addRows(trainRows);
        for (int i = 0; i < x.length; i++) {
            double[] column = x[i];
            long n = 0;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < trainRows; k++) {
                double v = column[train[k]];
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
            for (int k = 0; k < trainRows; k++) {
                double v = column[train[k]];
                if (v == v) {
                    m2 += (v - mean) * (v - mean);
                }
            }
            p.add(i, n, mean, m2, min, max);
        }
        return p;
    }

    /** Moments of a value label over the usable train rows. */
    ColumnScan.Partial labelMoments(byte[] splits) {
        ColumnScan.Partial p = ColumnScan.moments(1);
        p.addRows(count(splits, 0));
        for (int r = 0; r < rows; r++) {
            if (splits[r] == 0) {
                p.add(0, y[r]);
            }
        }
        return p;
    }

    private int count(byte[] splits, int split) {
        int n = 0;
        for (byte s : splits) {
            n += s == split ? 1 : 0;
        }
        return n;
    }

    /** The row-order hash of row r: {@code xxhash64(orderSeed, splitHash)}. */
    static long order(long hash, long orderSeed) {
        return XXH64.hashLong(hash, XXH64.hashLong(orderSeed, SPARK_SEED));
    }

    /** Arrays that grow as batches arrive, trimmed to the rows read at the end. */
    private static final class Growing {
        int rows;
        double[][] x;
        int[] label;
        double[] y;
        long[] hash = new long[0];
        boolean[] anyNull = new boolean[0];
        final long[] nulls;

        Growing(int inputs, boolean classification) {
            x = new double[inputs][0];
            label = classification ? new int[0] : null;
            y = classification ? null : new double[0];
            nulls = new long[1 + inputs];
        }

        int reserve(int n) {
            int base = rows;
            rows += n;
            if (rows > hash.length) {
                int capacity = Math.max(rows, hash.length * 2);
                for (int i = 0; i < x.length; i++) {
                    x[i] = Arrays.copyOf(x[i], capacity);
                }
                label = label == null ? null : Arrays.copyOf(label, capacity);
                y = y == null ? null : Arrays.copyOf(y, capacity);
                hash = Arrays.copyOf(hash, capacity);
                anyNull = Arrays.copyOf(anyNull, capacity);
            }
            return base;
        }

        /**
         * A double column without nulls, the common case, in bulk: copied, hashed from its own values (Spark hashes
         * a double's bits, -0.0 as 0.0), then non-finite values nulled and counted.
         */
        void readDoubles(int i, ColumnVector v, int base, int n) {
            double[] column = x[i];
            System.arraycopy(v.getDoubles(0, n), 0, column, base, n);
            for (int at = base; at < base + n; at++) {
                double d = column[at];
                hash[at] = XXH64.hashLong(d == -0.0d ? 0L : Double.doubleToLongBits(d), hash[at]);
                if (!Double.isFinite(d)) {
                    column[at] = Double.NaN;
                    nulls[1 + i]++;
                    anyNull[at] = true;
                }
            }
        }

        /** Any other column, value by value through its reader. */
        void readAny(int i, ColumnVector v, ColumnReader reader, int base, int n) {
            double[] column = x[i];
            boolean hasNull = v.hasNull();
            for (int r = 0; r < n; r++) {
                int at = base + r;
                double d;
                if (hasNull && v.isNullAt(r)) {
                    d = Double.NaN;
                } else {
                    d = reader.value(v, r);
                    hash[at] = reader.hash(v, r, hash[at]);
                }
                if (Double.isFinite(d)) {
                    column[at] = d;
                } else {
                    column[at] = Double.NaN;
                    nulls[1 + i]++;
                    anyNull[at] = true;
                }
            }
        }

        RowBlock finish(List<String> labels, NullPolicy policy) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Arrays.copyOf(x[i], rows);
            }
            label = label == null ? null : Arrays.copyOf(label, rows);
            y = y == null ? null : Arrays.copyOf(y, rows);
            hash = Arrays.copyOf(hash, rows);
            anyNull = Arrays.copyOf(anyNull, rows);
            return new RowBlock(this, labels, policy);
        }
    }
}
