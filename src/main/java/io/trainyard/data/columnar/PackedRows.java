package io.trainyard.data.columnar;

import java.io.Serializable;
import java.util.List;

/**
 * Encoded rows bound for one minibatch partition, packed in flat arrays (what the shuffle carries instead of one
 * Spark row of many fields per example): each row's row-order hash, split, label (a class index, or the scaled
 * value), its scalar inputs imputed and normalised, and the slot of each categorical input, expanded into the
 * one-hot vector only when the minibatch is built.
 */
public final class PackedRows implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int scalars;
    private final int categoricals;
    private int rows;
    private final long[] order;
    private final byte[] split;
    private final float[] labels;
    private final float[] values;
    private final int[] slots;

    PackedRows(int scalars, int categoricals, int capacity) {
        this.scalars = scalars;
        this.categoricals = categoricals;
        order = new long[capacity];
        split = new byte[capacity];
        labels = new float[capacity];
        values = new float[capacity * scalars];
        slots = new int[capacity * categoricals];
    }

    /** Appends a row; its inputs are then set with {@link #setScalar} and {@link #setSlot}. */
    int add(long orderHash, byte rowSplit, float label) {
        int r = rows++;
        order[r] = orderHash;
        split[r] = rowSplit;
        labels[r] = label;
        return r;
    }

    void setScalar(int row, int i, float value) {
        values[row * scalars + i] = value;
    }

    void setSlot(int row, int j, int slot) {
        slots[row * categoricals + j] = slot;
    }

    public int rows() {
        return rows;
    }

    /** The split of row r: 0 train, 1 validation, 2 test. */
    public int split(int r) {
        return split[r];
    }

    /** Row r's label: its class index, or its (scaled) value. */
    public float label(int r) {
        return labels[r];
    }

    /** Row r's i-th scalar input, encoded. */
    public float scalar(int r, int i) {
        return values[r * scalars + i];
    }

    /** Row r's j-th categorical input's slot within its one-hot block. */
    public int slot(int r, int j) {
        return slots[r * categoricals + j];
    }

    /**
     * The rows of many packs in the seeded row order, the row path's {@code sortWithinPartitions(order, tie)}: by
     * order hash, and rows of one order hash (equal rows, but for a 64-bit collision) by their encoded values, so
     * the result never depends on the order the packs arrived in.
     */
    static PackedRows sorted(List<PackedRows> parts) {
        int n = parts.stream().mapToInt(PackedRows::rows).sum();
        int s = parts.isEmpty() ? 0 : parts.get(0).scalars;
        int c = parts.isEmpty() ? 0 : parts.get(0).categoricals;
        PackedRows all = new PackedRows(s, c, n);
        for (PackedRows p : parts) {
            int at = all.rows;
            System.arraycopy(p.order, 0, all.order, at, p.rows);
            System.arraycopy(p.split, 0, all.split, at, p.rows);
            System.arraycopy(p.labels, 0, all.labels, at, p.rows);
            System.arraycopy(p.values, 0, all.values, at * s, p.rows * s);
            System.arraycopy(p.slots, 0, all.slots, at * c, p.rows * c);
            all.rows += p.rows;
        }
        int[] index = OrderSort.indices(all.order, all::compareValues);
        PackedRows out = new PackedRows(s, c, n);
        for (int k = 0; k < n; k++) {
            int r = index[k];
            out.order[k] = all.order[r];
            out.split[k] = all.split[r];
            out.labels[k] = all.labels[r];
            System.arraycopy(all.values, r * s, out.values, k * s, s);
            System.arraycopy(all.slots, r * c, out.slots, k * c, c);
        }
        out.rows = n;
        return out;
    }

    private int compareValues(int a, int b) {
        int c = Float.compare(labels[a], labels[b]);
        for (int i = 0; c == 0 && i < scalars; i++) {
            c = Float.compare(scalar(a, i), scalar(b, i));
        }
        for (int j = 0; c == 0 && j < categoricals; j++) {
            c = Integer.compare(slot(a, j), slot(b, j));
        }
        return c != 0 ? c : Byte.compare(split[a], split[b]);
    }
}
