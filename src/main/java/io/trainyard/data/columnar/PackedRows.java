package io.trainyard.data.columnar;

import java.io.Serializable;
import java.util.List;

/**
 * Encoded rows bound for one minibatch partition, packed in flat arrays (what the shuffle carries instead of one
 * Spark row of many fields per example): each row's row-order hash, split, label (a class index, or the scaled
 * value) and input vector, imputed and normalised.
 */
public final class PackedRows implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int width;
    private int rows;
    private long[] order;
    private byte[] split;
    private float[] labels;
    private float[] features;

    PackedRows(int width, int capacity) {
        this.width = width;
        order = new long[capacity];
        split = new byte[capacity];
        labels = new float[capacity];
        features = new float[capacity * width];
    }

    /** Appends a row; its {@link #width} inputs are then written from {@link #featureBase}. */
    int add(long orderHash, byte rowSplit, float label) {
        int r = rows++;
        order[r] = orderHash;
        split[r] = rowSplit;
        labels[r] = label;
        return r;
    }

    int featureBase(int row) {
        return row * width;
    }

    float[] featureArray() {
        return features;
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

    /** Copies row r's input vector into {@code into} at {@code at}. */
    public void copyInputs(int r, float[] into, int at) {
        System.arraycopy(features, r * width, into, at, width);
    }

    /**
     * The rows of many packs in the seeded row order, the row path's {@code sortWithinPartitions(order, tie)}: by
     * order hash, and rows of one order hash (equal rows, but for a 64-bit collision) by their encoded values, so
     * the result never depends on the order the packs arrived in.
     */
    static PackedRows sorted(List<PackedRows> parts, int width) {
        int n = parts.stream().mapToInt(PackedRows::rows).sum();
        PackedRows all = new PackedRows(width, n);
        for (PackedRows p : parts) {
            int at = all.rows;
            System.arraycopy(p.order, 0, all.order, at, p.rows);
            System.arraycopy(p.split, 0, all.split, at, p.rows);
            System.arraycopy(p.labels, 0, all.labels, at, p.rows);
            System.arraycopy(p.features, 0, all.features, at * width, p.rows * width);
            all.rows += p.rows;
        }
        int[] index = OrderSort.indices(all.order, all::compareValues);
        PackedRows out = new PackedRows(width, n);
        for (int k = 0; k < n; k++) {
            int r = index[k];
            out.order[k] = all.order[r];
            out.split[k] = all.split[r];
            out.labels[k] = all.labels[r];
            System.arraycopy(all.features, r * width, out.features, k * width, width);
        }
        out.rows = n;
        return out;
    }

    private int compareValues(int a, int b) {
        int c = Float.compare(labels[a], labels[b]);
        for (int i = 0; c == 0 && i < width; i++) {
            c = Float.compare(features[a * width + i], features[b * width + i]);
        }
        return c != 0 ? c : Byte.compare(split[a], split[b]);
    }
}
