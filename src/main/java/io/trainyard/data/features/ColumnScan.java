package io.trainyard.data.features;

import io.trainyard.data.source.FeatureSelector;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Null counts of some columns and moments of the double-valued ones, in one pass over Spark's internal rows.
 *
 * <p>Why not a Spark aggregation: with hundreds of inputs (pixels, say) an {@code agg} of five functions per column
 * grows a plan whose generated code is too large for whole-stage code generation, and it ran at a few hundred rows
 * per second; this loop reads primitive fields and merges per-partition partial moments (Chan et al.).
 */
public final class ColumnScan implements Serializable {
    private static final long serialVersionUID = 1L;

    private ColumnScan() {}

    /**
     * Scans {@code moments} (double columns: nulls and moments) then {@code others} (any type: nulls only).
     * Column i of the result is {@code moments[i]} for {@code i < moments.size()}, then the others in order.
     */
    static Partial scan(Dataset<Row> frame, List<String> moments, List<String> others) {
        Column[] columns = java.util.stream.Stream.concat(moments.stream(), others.stream())
                .map(c -> frame.col(FeatureSelector.quote(c)))
                .toArray(Column[]::new);
        int doubles = moments.size();
        int total = columns.length;
        return frame.select(columns)
                .queryExecution()
                .toRdd()
                .toJavaRDD()
                .mapPartitions(rows -> {
                    Partial p = new Partial(doubles, total);
                    while (rows.hasNext()) {
                        p.add(rows.next());
                    }
                    return List.of(p).iterator();
                })
                .fold(new Partial(doubles, total), Partial::merge);
    }

    /** Running moments of {@code columns} double columns, for a caller that reads the values itself. */
    public static Partial moments(int columns) {
        return new Partial(columns, columns);
    }

    /** Running counts and moments; {@code merge} combines two partitions' results. */
    public static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;
        long rows;
        long rowsWithNull;
        final long[] nulls;
        final long[] count;
        final double[] mean;
        final double[] m2;
        final double[] min;
        final double[] max;

        Partial(int doubles, int columns) {
            nulls = new long[columns];
            count = new long[doubles];
            mean = new double[doubles];
            m2 = new double[doubles];
            min = new double[doubles];
            max = new double[doubles];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        void add(InternalRow row) {
            rows++;
            boolean anyNull = false;
            for (int i = 0; i < nulls.length; i++) {
                if (row.isNullAt(i)) {
                    nulls[i]++;
                    anyNull = true;
                } else if (i < count.length) {
                    add(i, row.getDouble(i));
                }
            }
            if (anyNull) {
                rowsWithNull++;
            }
        }

        /** Adds a (non-null) value of double column i (Welford's update). */
        public void add(int i, double x) {
            long n = ++count[i];
            double delta = x - mean[i];
            mean[i] += delta / n;
            m2[i] += delta * (x - mean[i]);
            min[i] = Math.min(min[i], x);
            max[i] = Math.max(max[i], x);
        }

        /** Counts rows, nulls included (what imputation spreads a column's values over). */
        public void addRows(long n) {
            rows += n;
        }

        public Partial merge(Partial o) {
            rows += o.rows;
            rowsWithNull += o.rowsWithNull;
            for (int i = 0; i < nulls.length; i++) {
                nulls[i] += o.nulls[i];
            }
            for (int i = 0; i < count.length; i++) {
                add(i, o.count[i], o.mean[i], o.m2[i], o.min[i], o.max[i]);
            }
            return this;
        }

        /**
         * Adds the moments of {@code n} more values of double column i (Chan et al.'s combination), for a caller
         * that summarised them itself.
         */
        public void add(int i, long n, double otherMean, double otherM2, double otherMin, double otherMax) {
            long total = count[i] + n;
            if (total > 0) {
                double delta = otherMean - mean[i];
                m2[i] += otherM2 + delta * delta * count[i] * n / total;
                mean[i] += delta * n / total;
            }
            count[i] = total;
            min[i] = Math.min(min[i], otherMin);
            max[i] = Math.max(max[i], otherMax);
        }

        /** Moments of double column i, as the normaliser and imputer read them. */
        public ColumnMoments moments(int i, String name) {
            boolean any = count[i] > 0;
            return new ColumnMoments(
                    name,
                    rows,
                    count[i],
                    any ? mean[i] : 0,
                    any ? m2[i] / count[i] : 0,
                    any ? min[i] : 0,
                    any ? max[i] : 0);
        }
    }
}
