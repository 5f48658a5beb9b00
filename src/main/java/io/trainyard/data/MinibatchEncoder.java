package io.trainyard.data;

import io.trainyard.data.columnar.PackedRows;
import io.trainyard.data.features.FeaturePlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Turns a partition of encoded rows into DL4J minibatches, one running buffer per split, filled from primitive
 * fields of Spark's internal rows: no Row, boxing or per-row INDArray. Row layout, as {@link DataPreparer} selects
 * it: split (int), label (class index int, or one double per regression target), a spread-free forecast's window
 * spread (double), then the inputs as {@link RowEncoder} encodes them for training and scoring alike.
 * <p>
 * A spread-free forecast's minibatch carries each row's spread as DL4J example metadata ({@link #spreads}): training
 * never reads it; evaluation multiplies it back to report errors in the label's units.
 */
public final class MinibatchEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the label is laid out in a minibatch. */
    public enum LabelLayout {
        /** One column per class, 1 at the row's class. */
        ONE_HOT,
        /** One column holding 0 or 1 (binary classification with a sigmoid output). */
        BINARY,
        /** One column per regression target holding its value. */
        VALUE
    }

    private final RowEncoder inputs;
    private final int inputWidth;
    private final LabelLayout labelLayout;
    private final int labelWidth;
    private final int batchSize;
    /** Whether the inputs are a token sequence, which each minibatch masks after its last token. */
    private final boolean masked;
    /** Whether each row carries its window's spread (a spread-free forecast). */
    private final boolean spread;

    public MinibatchEncoder(FeaturePlan plan, LabelLayout labelLayout, int batchSize) {
        this.inputs = new RowEncoder(plan);
        this.inputWidth = plan.inputWidth();
        this.labelLayout = labelLayout;
        this.labelWidth = switch (labelLayout) {
            case ONE_HOT -> plan.classes().size();
            case BINARY -> 1;
            case VALUE -> plan.targets();
        };
        this.batchSize = batchSize;
        this.masked = plan.tokenSequence();
        this.spread = carriesSpread(plan);
    }

    /** Whether {@code plan}'s rows carry their window's spread after the label. */
    public static boolean carriesSpread(FeaturePlan plan) {
        return plan.windows() != null && plan.windows().spreadFree();
    }

    /** Each row's window spread in a minibatch of a spread-free forecast, or null when it carries none. */
    public static double[] spreads(DataSet batch) {
        List<java.io.Serializable> meta = batch.getExampleMetaData();
        if (meta == null || meta.size() != batch.numExamples()) {
            return null;
        }
        double[] out = new double[meta.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = (Double) meta.get(r);
        }
        return out;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int labelWidth() {
        return labelWidth;
    }

    /** Encodes one partition; minibatches are tagged with their split (see {@link io.trainyard.data.split.SplitAssigner}). */
    public Iterator<Tuple2<Integer, DataSet>> encode(Iterator<InternalRow> rows) {
        Buffer[] buffers = {new Buffer(), new Buffer(), new Buffer()};
        List<Tuple2<Integer, DataSet>> out = new ArrayList<>();
        int afterLabel = 1 + (labelLayout == LabelLayout.VALUE ? labelWidth : 1);
        int firstScalar = afterLabel + (spread ? 1 : 0);
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            int split = row.getInt(0);
            Buffer b = buffers[split];
            inputs.fill(b.features, b.rows * inputWidth, row, firstScalar);
            int labelBase = b.rows * labelWidth;
            switch (labelLayout) {
                case ONE_HOT -> b.labels[labelBase + row.getInt(1)] = 1f;
                case BINARY -> b.labels[labelBase] = row.getInt(1);
                case VALUE -> {
                    for (int k = 0; k < labelWidth; k++) {
                        b.labels[labelBase + k] = (float) row.getDouble(1 + k);
                    }
                }
                default -> throw new IllegalStateException("unhandled " + labelLayout);
            }
            if (spread) {
                b.spreads[b.rows] = row.getDouble(afterLabel);
            }
            if (++b.rows == batchSize) {
                out.add(new Tuple2<>(split, b.drain()));
            }
        }
        for (int split = 0; split < buffers.length; split++) {
            if (buffers[split].rows > 0) {
                out.add(new Tuple2<>(split, buffers[split].drain()));
            }
        }
        return out.iterator();
    }

    /**
     * One split's minibatches from a partition of packed rows (already in their seeded order, inputs already
     * encoded), cut exactly as {@link #encode} cuts them from the same rows.
     */
    public Iterator<DataSet> encodePacked(Iterator<PackedRows> packs, int wanted) {
        Buffer b = new Buffer();
        List<DataSet> out = new ArrayList<>();
        while (packs.hasNext()) {
            PackedRows rows = packs.next();
            for (int r = 0; r < rows.rows(); r++) {
                if (rows.split(r) != wanted) {
                    continue;
                }
                inputs.fill(b.features, b.rows * inputWidth, rows, r);
                int labelBase = b.rows * labelWidth;
                switch (labelLayout) {
                    case ONE_HOT -> b.labels[labelBase + (int) rows.label(r)] = 1f;
                    case BINARY, VALUE -> b.labels[labelBase] = rows.label(r);
                    default -> throw new IllegalStateException("unhandled " + labelLayout);
                }
                if (++b.rows == batchSize) {
                    out.add(b.drain());
                }
            }
        }
        if (b.rows > 0) {
            out.add(b.drain());
        }
        return out.iterator();
    }

    /** One split's minibatch under construction; its arrays are copied off-heap when full, then cleared for reuse. */
    private final class Buffer {
        float[] features = new float[batchSize * inputWidth];
        float[] labels = new float[batchSize * labelWidth];
        double[] spreads = spread ? new double[batchSize] : null;
        int rows;

        DataSet drain() {
            INDArray x = matrix(features, rows, inputWidth);
            DataSet ds = new DataSet(x, matrix(labels, rows, labelWidth), masked ? tokenMask(x) : null, null);
            if (spread) {
                List<Double> meta = new ArrayList<>(rows);
                for (int r = 0; r < rows; r++) {
                    meta.add(spreads[r]);
                }
                ds.setExampleMetaData(meta);
            }
            java.util.Arrays.fill(features, 0, rows * inputWidth, 0f);
            java.util.Arrays.fill(labels, 0, rows * labelWidth, 0f);
            rows = 0;
            return ds;
        }
    }

    /**
     * The features mask of a minibatch of token-id sequences: 1 up to a row's last token, 0 on the padding after it
     * (id {@link io.trainyard.data.features.TextPlan#PADDING}), so the recurrent and convolutional layers and the
     * pooling see a row as if it had never been padded. The first step is always kept: an empty text is one padding
     * token rather than a sequence of none.
     */
    public static INDArray tokenMask(INDArray tokens) {
        INDArray mask = tokens.neq(0).castTo(DataType.FLOAT);
        mask.getColumn(0).assign(1);
        return mask;
    }

    /**
     * The first {@code rows} rows of a row-major buffer as an off-heap matrix, copied in bulk: {@code Nd4j.create}
     * of a float array copies value by value, which cost a sixth of encoding.
     */
    static INDArray matrix(float[] values, int rows, int columns) {
        INDArray m = Nd4j.createUninitialized(DataType.FLOAT, rows, columns);
        m.data().asNioFloat().put(values, 0, rows * columns);
        return m;
    }
}
