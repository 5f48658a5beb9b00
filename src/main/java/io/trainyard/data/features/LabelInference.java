package io.trainyard.data.features;

import static org.apache.spark.sql.functions.col;

import io.trainyard.data.source.ColumnKind;
import io.trainyard.data.source.Columns;
import io.trainyard.data.source.DataException;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;

/**
 * What the label says about the task: classification or regression when {@code task = auto}, and a classification's
 * classes in their order (numbers numerically, names alphabetically), refused when there is one or too many.
 */
public final class LabelInference {
    /** An integer label with at most this many distinct values is taken as classes when {@code task = auto}. */
    static final int MAX_INFERRED_CLASSES = 20;

    private LabelInference() {}

    public static Task resolveTask(Task declared, FeatureSelector.Selection selection, Dataset<Row> selected) {
        if (declared != Task.AUTO) {
            if (declared == Task.CLASSIFICATION && selection.targets() > 1) {
                throw new DataException("task = classification cannot take a label of " + selection.targets()
                        + " values (data.sequence.horizon)");
            }
            if (declared == Task.REGRESSION && selection.labelKind() != ColumnKind.NUMERIC) {
                throw new DataException("task = regression needs a numeric label; data.label is "
                        + selection.labelKind().name().toLowerCase(java.util.Locale.ROOT));
            }
            return declared;
        }
        if (selection.labelKind() != ColumnKind.NUMERIC) {
            return Task.CLASSIFICATION;
        }
        var type = selected.schema().apply(Columns.LABEL).dataType();
        if (type instanceof ArrayType
                || type instanceof DoubleType
                || type instanceof FloatType
                || type instanceof DecimalType) {
            return Task.REGRESSION;
        }
        long distinct = selected.select(Columns.LABEL)
                .where(col(Columns.LABEL).isNotNull())
                .distinct()
                .limit(MAX_INFERRED_CLASSES + 1)
                .count();
        return distinct <= MAX_INFERRED_CLASSES ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    public static List<String> classes(Dataset<Row> usable, FeatureSelector.Selection selection, DataSpec data) {
        List<Row> rows =
                usable.groupBy(Columns.Y).count().limit(data.maxClasses() + 1).collectAsList();
        return classes(rows.stream().map(r -> r.getString(0)).toList(), selection, data);
    }

    /**
     * The classes in their order, from the distinct labels of the usable rows (at most max-classes + 1 of them
     * need be given: one more is refused).
     */
    public static List<String> classes(List<String> distinct, FeatureSelector.Selection selection, DataSpec data) {
        if (distinct.size() > data.maxClasses()) {
            throw new DataException("data.label: '" + data.label() + "' has more than " + data.maxClasses()
                    + " distinct values; set task = regression, or raise data.max-classes");
        }
        List<String> classes = new ArrayList<>(distinct);
        if (classes.size() < 2) {
            throw new DataException("data.label: '" + data.label() + "' has one class only ("
                    + (classes.isEmpty() ? "no rows" : "'" + classes.get(0) + "'")
                    + "); classification needs two or more");
        }
        Comparator<String> order = selection.labelKind() == ColumnKind.NUMERIC
                ? Comparator.comparingDouble(Double::parseDouble)
                : Comparator.naturalOrder();
        classes.sort(order);
        return List.copyOf(classes);
    }
}
