package io.trainyard.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.trainyard.data.columnar.PackedRows;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.FeatureTransforms;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TextPlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The one way a row becomes a model's input vector, in training and in scoring alike. Spark computes the encoded
 * inputs ({@link #inputColumns}: the scalar inputs imputed and normalised, as floats, then each categorical input's
 * slot index); {@link #fill} puts one row's values at their offsets of the vector (scalars at their slot, a 1 at the
 * category's slot). A model trained on one encoding and scored with another cannot happen: there is only this one.
 */
public final class RowEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] scalarSlots;
    private final int[] categoricalSlots;
    private final int width;
    /** The text's slots, or null when the plan has no text. */
    private final TextEncoder text;

    public RowEncoder(FeaturePlan plan) {
        this.scalarSlots =
                plan.scalarInputs().stream().mapToInt(ModelInput::offset).toArray();
        this.categoricalSlots =
                plan.categoricalInputs().stream().mapToInt(ModelInput::offset).toArray();
        this.width = plan.inputWidth();
        this.text = plan.text() == null ? null : new TextEncoder(plan.text());
    }

    /** The input vector's width. */
    public int width() {
        return width;
    }

    /** How many of a row's columns {@link #inputColumns} gives. */
    public int columns() {
        return scalarSlots.length + categoricalSlots.length + (text == null ? 0 : 1);
    }

    /**
     * The source's inputs as the plan derives them (features selected by their checked expressions, timestamp parts,
     * categories as strings), with the id columns in front: what {@link #inputColumns} reads.
     */
    public static Dataset<Row> derive(Dataset<Row> source, FeaturePlan plan) {
        Dataset<Row> selected = FeatureTransforms.select(source, null, plan.features(), plan.id(), List.of());
        TextPlan text = plan.text();
        return text == null
                ? FeatureTransforms.derive(selected, plan.features(), plan.inputs(), null)
                : FeatureTransforms.derive(
                        selected, plan.features(), plan.inputs(), null, text.spec(), text.nullAsEmpty());
    }

    /**
     * The encoded inputs of a derived frame: the scalar inputs (float), then the categorical slot indices (int), then
     * the text's tokens (an array of strings) when the plan has text.
     */
    public static List<Column> inputColumns(FeaturePlan plan, NormalizerStats stats) {
        List<Column> columns = new ArrayList<>();
        List<ModelInput> scalars = plan.scalarInputs();
        for (int i = 0; i < scalars.size(); i++) {
            columns.add(FeatureTransforms.encodedScalar(i, scalars.get(i), stats));
        }
        List<ModelInput> categoricals = plan.categoricalInputs();
        for (int j = 0; j < categoricals.size(); j++) {
            columns.add(FeatureTransforms.categoryIndex(j, categoricals.get(j)));
        }
        if (plan.text() != null) {
            columns.add(col(TextPlan.TOKENS));
        }
        return columns;
    }

    /** Whether a derived row has every input the model has no fill value for (it was trained without imputing). */
    public static Column complete(FeaturePlan plan) {
        Column complete = lit(true);
        List<ModelInput> scalars = plan.scalarInputs();
        for (int i = 0; i < scalars.size(); i++) {
            if (scalars.get(i).impute() == null) {
                complete = complete.and(col(FeatureTransforms.scalarName(i)).isNotNull());
            }
        }
        List<ModelInput> categoricals = plan.categoricalInputs();
        for (int j = 0; j < categoricals.size(); j++) {
            if (categoricals.get(j).imputeCategory() == null) {
                complete =
                        complete.and(col(FeatureTransforms.categoricalName(j)).isNotNull());
            }
        }
        if (plan.text() != null) {
            complete = complete.and(col(TextPlan.TOKENS).isNotNull());
        }
        return complete;
    }

    /**
     * Puts a row's inputs into {@code vector} from {@code base} (a zeroed stretch of {@link #width} floats).
     *
     * @param first where the row's {@link #inputColumns} begin
     */
    public void fill(float[] vector, int base, InternalRow row, int first) {
        for (int i = 0; i < scalarSlots.length; i++) {
            vector[base + scalarSlots[i]] = row.getFloat(first + i);
        }
        int firstCategorical = first + scalarSlots.length;
        for (int j = 0; j < categoricalSlots.length; j++) {
            vector[base + categoricalSlots[j] + row.getInt(firstCategorical + j)] = 1f;
        }
        if (text != null) {
            text.fill(vector, base, row.getArray(firstCategorical + categoricalSlots.length));
        }
    }

    /** As {@link #fill(float[], int, InternalRow, int)} for row r of packed rows (already imputed and indexed). */
    public void fill(float[] vector, int base, PackedRows rows, int r) {
        for (int i = 0; i < scalarSlots.length; i++) {
            vector[base + scalarSlots[i]] = rows.scalar(r, i);
        }
        for (int j = 0; j < categoricalSlots.length; j++) {
            vector[base + categoricalSlots[j] + rows.slot(r, j)] = 1f;
        }
    }

    /** As {@link #fill(float[], int, InternalRow, int)} for a {@link Row}; a null input (an incomplete row) is 0. */
    public void fill(float[] vector, int base, Row row, int first) {
        for (int i = 0; i < scalarSlots.length; i++) {
            vector[base + scalarSlots[i]] = row.isNullAt(first + i) ? 0f : row.getFloat(first + i);
        }
        int firstCategorical = first + scalarSlots.length;
        for (int j = 0; j < categoricalSlots.length; j++) {
            if (!row.isNullAt(firstCategorical + j)) {
                vector[base + categoricalSlots[j] + row.getInt(firstCategorical + j)] = 1f;
            }
        }
        int tokens = firstCategorical + categoricalSlots.length;
        if (text != null && !row.isNullAt(tokens)) {
            text.fill(vector, base, row.<String>getList(tokens));
        }
    }
}
