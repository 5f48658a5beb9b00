package io.trainyard.data.columnar;

import io.trainyard.data.split.SplitPlanner;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the first pass learns from a block, merged over all blocks in the driver: the null census (rows, rows with a
 * null, nulls of the label and of each input), the usable rows of each class, and the usable rows per split-hash
 * bucket of each stratum.
 */
final class BlockSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    long rows;
    long rowsWithNull;
    /** The label's nulls, then each input's. */
    long[] nulls;

    final Map<String, Long> classes = new TreeMap<>();
    /** Why the blocks cannot be prepared from columns, or null. */
    String overflow;

    final Map<String, TreeMap<Integer, Long>> histograms = new TreeMap<>();

    static BlockSummary of(RowBlock block, boolean stratified) {
        BlockSummary s = new BlockSummary();
        s.rows = block.rows;
        s.rowsWithNull = block.rowsWithNull;
        s.nulls = block.nulls.clone();
        s.overflow = block.overflow;
        // Histogram keys sorted rather than counted in a table: a table per class would not stay small with
        // hundreds of classes, a sort of the block's keys does.
        long[] keys = new long[block.rows];
        long[] perClass = new long[block.labels.size()];
        int usable = 0;
        for (int r = 0; r < block.rows; r++) {
            if (block.usable[r]) {
                int stratum = stratified ? block.label[r] : 0;
                keys[usable++] = ((long) stratum << 32) | SplitPlanner.bucketOf(block.hash[r]);
                if (block.label != null) {
                    perClass[block.label[r]]++;
                }
            }
        }
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] > 0) {
                s.classes.put(block.labels.get(c), perClass[c]);
            }
        }
        keys = Arrays.copyOf(keys, usable);
        Arrays.sort(keys);
        for (int k = 0; k < keys.length; ) {
            int end = k;
            while (end < keys.length && keys[end] == keys[k]) {
                end++;
            }
            String stratum = stratified ? block.labels.get((int) (keys[k] >>> 32)) : "all";
            s.histograms.computeIfAbsent(stratum, t -> new TreeMap<>()).put((int) keys[k], (long) (end - k));
            k = end;
        }
        return s;
    }

    BlockSummary merge(BlockSummary o) {
        if (nulls == null) {
            return o;
        }
        rows += o.rows;
        rowsWithNull += o.rowsWithNull;
        overflow = overflow != null ? overflow : o.overflow;
        for (int i = 0; i < nulls.length; i++) {
            nulls[i] += o.nulls[i];
        }
        o.classes.forEach((c, n) -> classes.merge(c, n, Long::sum));
        o.histograms.forEach((stratum, h) -> {
            TreeMap<Integer, Long> mine = histograms.computeIfAbsent(stratum, t -> new TreeMap<>());
            h.forEach((b, n) -> mine.merge(b, n, Long::sum));
        });
        return this;
    }
}
