package io.trainyard.data.source;

import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.SplitSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Resolves {@code data.label}, {@code data.features}, {@code data.id} and {@code split.key} against a source schema:
 * each entry is a column or a Spark SQL expression; every mistake is refused naming the key and the column.
 * Works on the schema only (Spark analyses the expressions; no data is read).
 */
public final class FeatureSelector {
    /** The label expression of unlabelled rows. */
    static final String UNLABELLED = "CAST(0.0 AS DOUBLE)";

    private FeatureSelector() {}

    /**
     * The resolved selection: what {@code FeatureTransforms.select} applies to a source frame.
     *
     * @param targets values the label holds: 1, or a forecast's horizon (an array label of windowed series)
     */
    public record Selection(
            String labelExpression,
            ColumnKind labelKind,
            List<SelectedFeature> features,
            List<String> id,
            List<String> keyExpressions,
            int targets) {}

    public static Selection resolve(DataSpec data, SplitSpec split, Dataset<Row> source, String sourceName) {
        StructType schema = source.schema();
        Set<String> columns = new LinkedHashSet<>(Arrays.asList(schema.fieldNames()));
        String columnList = String.join(", ", columns);

        // Unlabelled rows (an autoencoder's) get a constant label: the pipeline stays one pipeline, unstratified.
        String labelExpression = data.labelled()
                ? expressionFor("data.label", data.label(), source, columns, columnList, sourceName)
                : UNLABELLED;
        DataType labelType = select(source, "data.label", List.of(labelExpression))
                .schema()
                .fields()[0]
                .dataType();
        ColumnKind labelKind = kindOf(labelType);
        int targets = 1;
        if (labelType instanceof ArrayType a
                && a.elementType() instanceof NumericType
                && data.sequence().enabled()) {
            labelKind = ColumnKind.NUMERIC;
            targets = data.sequence().horizon();
        }
        if (labelKind == null || labelKind == ColumnKind.TIMESTAMP) {
            throw new DataException("data.label: '" + data.label() + "' has type " + labelType.simpleString()
                    + ", which cannot be a label (numeric, boolean or string)");
        }
        for (String id : data.id()) {
            SqlExpressions.checkName("data.id", id);
            requireColumn("data.id", id, columns, columnList, sourceName);
        }
        for (String ignored : data.ignore()) {
            requireColumn("data.ignore", ignored, columns, columnList, sourceName);
        }

        List<String> featureEntries = data.features();
        if (featureEntries.isEmpty() && !data.text().enabled()) {
            Set<String> excluded = new HashSet<>(data.id());
            excluded.addAll(data.ignore());
            excluded.add(data.label());
            // A label computed from columns ("outcome = 'churn'") must not find those columns among its features.
            excluded.addAll(referencedColumns(source, "data.label", labelExpression));
            // Nor the columns the data's own split is read from: where a row is evaluated is not a feature of it.
            if (split.userSplit()) {
                excluded.addAll(referencedColumns(source, "split.column", columnOrExpression(split.column(), columns)));
            }
            featureEntries = columns.stream().filter(c -> !excluded.contains(c)).toList();
            if (featureEntries.isEmpty()) {
                throw new DataException("data.features: " + sourceName + " has no columns left for features after "
                        + "the label, data.id and data.ignore");
            }
        }
        List<String> expressions = new ArrayList<>();
        for (String entry : featureEntries) {
            expressions.add(expressionFor("data.features", entry, source, columns, columnList, sourceName));
        }
        List<SelectedFeature> features =
                expressions.isEmpty() ? new ArrayList<>() : plainFeatures(data, source, expressions);
        List<String> plain = features.stream().map(SelectedFeature::name).toList();
        for (String c : data.categorical()) {
            if (!plain.contains(c)) {
                throw new DataException(
                        "data.categorical: '" + c + "' is not one of the features (" + String.join(", ", plain) + ")");
            }
        }
        features.addAll(textFeatures(data, schema, columns, columnList, sourceName));
        return new Selection(
                labelExpression,
                labelKind,
                features,
                data.id(),
                keys(split, source, columns, columnList, sourceName),
                targets);
    }

    /** {@code data.features} resolved (arrays expanded, kinds decided), for a selection that lists any. */
    private static List<SelectedFeature> plainFeatures(DataSpec data, Dataset<Row> source, List<String> expressions) {
        StructType arrays = select(source, "data.features", expressions).schema();
        // The length check rides on the first element only: every row evaluates it, and the other elements stay plain
        // extractions (a check per element made Spark's generated projection several times slower).
        Map<String, SelectedFeature.ArrayLength> lengths = new HashMap<>();
        expressions = expandArrays(data, arrays, expressions, lengths);
        StructType selected = select(source, "data.features", expressions).schema();
        Set<String> categorical = new HashSet<>(data.categorical());
        Set<String> seen = new HashSet<>();
        List<SelectedFeature> features = new ArrayList<>();
        for (int i = 0; i < selected.fields().length; i++) {
            StructField field = selected.fields()[i];
            String name = field.name();
            SqlExpressions.checkName("data.features", name);
            if (!seen.add(name) || name.equals(Columns.LABEL) || data.id().contains(name)) {
                throw new DataException("data.features: two columns would be named '" + name
                        + "'; give the expression an alias (\"... AS other_name\")");
            }
            ColumnKind kind = kindOf(field.dataType());
            if (kind == null) {
                throw new DataException("data.features: column '" + name + "' has type "
                        + field.dataType().simpleString()
                        + ", which cannot be a feature (numeric, boolean, string, timestamp or date)");
            }
            if (categorical.contains(name)) {
                if (kind == ColumnKind.TIMESTAMP) {
                    throw new DataException("data.categorical: column '" + name + "' is a timestamp; timestamps are "
                            + "expanded by data.timestamp-parts, not one-hot encoded");
                }
                kind = ColumnKind.CATEGORICAL;
            }
            features.add(new SelectedFeature(name, expressions.get(i), kind, lengths.get(name)));
        }
        return features;
    }

    private static List<String> keys(
            SplitSpec split, Dataset<Row> source, Set<String> columns, String columnList, String sourceName) {
        List<String> keys = new ArrayList<>();
        for (String key : split.key()) {
            keys.add(expressionFor("split.key", key, source, columns, columnList, sourceName));
        }
        return keys;
    }

    /** The {@code data.text.columns}, each a string column of the source, as text features (after the others). */
    private static List<SelectedFeature> textFeatures(
            DataSpec data, StructType schema, Set<String> columns, String columnList, String sourceName) {
        List<SelectedFeature> out = new ArrayList<>();
        for (String name : data.text().columns()) {
            SqlExpressions.checkName("data.text.columns", name);
            requireColumn("data.text.columns", name, columns, columnList, sourceName);
            DataType type = schema.apply(name).dataType();
            if (!(type instanceof StringType)) {
                throw new DataException("data.text.columns: column '" + name + "' of " + sourceName + " has type "
                        + type.simpleString() + "; text columns must be strings");
            }
            out.add(new SelectedFeature(name, quote(name), ColumnKind.TEXT, null));
        }
        return out;
    }

    /**
     * Array features become one feature per element ({@code pixels_0}, {@code pixels_1}, ...): every array holds an
     * equal share of {@code data.shape}, and a row whose array has another length fails the job with a data error.
     */
    private static List<String> expandArrays(
            DataSpec data,
            StructType selected,
            List<String> expressions,
            Map<String, SelectedFeature.ArrayLength> lengths) {
        List<Integer> arrayFields = new ArrayList<>();
        for (int i = 0; i < selected.fields().length; i++) {
            if (selected.fields()[i].dataType() instanceof ArrayType) {
                arrayFields.add(i);
            }
        }
        if (arrayFields.isEmpty()) {
            return expressions;
        }
        StructField first = selected.fields()[arrayFields.get(0)];
        if (data.shape().isEmpty()) {
            throw new DataException("data.features: column '" + first.name() + "' is an array; set data.shape (e.g. "
                    + "[1, 28, 28] for one 28x28 image per row) so its elements can become inputs");
        }
        if (arrayFields.size() != selected.fields().length) {
            throw new DataException("data.features: array column '" + first.name() + "' cannot be mixed with scalar "
                    + "features; list only array columns (or only scalar columns) when data.shape is set");
        }
        if (data.shapeSize() % arrayFields.size() != 0) {
            throw new DataException("data.shape = " + data.shape() + " does not divide evenly among "
                    + arrayFields.size() + " array columns");
        }
        int length = data.shapeSize() / arrayFields.size();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < selected.fields().length; i++) {
            StructField field = selected.fields()[i];
            if (!(((ArrayType) field.dataType()).elementType() instanceof NumericType)) {
                throw new DataException("data.features: array column '" + field.name() + "' holds "
                        + ((ArrayType) field.dataType()).elementType().simpleString() + "; arrays must hold numbers");
            }
            String e = "(" + expressions.get(i) + ")";
            for (int k = 0; k < length; k++) {
                out.add("element_at(" + e + ", " + (k + 1) + ") AS " + quote(field.name() + "_" + k));
            }
            lengths.put(
                    field.name() + "_0",
                    new SelectedFeature.ArrayLength(
                            e,
                            length,
                            "data.features: array column '" + field.name() + "' must hold " + length
                                    + " values (data.shape = " + data.shape() + "), a row holds another number"));
        }
        return out;
    }

    /**
     * {@code source.selectExpr(expressions)}, but every expression checked by {@link SqlExpressions} first;
     * {@code key} names where they came from.
     */
    public static Dataset<Row> select(Dataset<Row> source, String key, List<String> expressions) {
        return source.select(expressions.stream()
                .map(e -> SqlExpressions.column(key, e, source))
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /**
     * A spec entry that is a column name or a checked SQL expression, analysed against the source: the column Spark
     * computes and its type. Refused naming {@code key} when Spark cannot analyse it.
     */
    public static Resolved resolve(String key, String entry, Dataset<Row> source, String sourceName) {
        org.apache.spark.sql.Column value = SqlExpressions.column(
                key, columnOrExpression(entry, new HashSet<>(java.util.Arrays.asList(source.columns()))), source);
        try {
            return new Resolved(value, source.select(value).schema().fields()[0].dataType());
        } catch (Exception e) {
            throw new DataException(key + ": '" + entry + "' is neither a column of " + sourceName
                    + " nor a valid SQL expression: " + ParquetSource.firstLine(e));
        }
    }

    /** A resolved spec entry: its column and the type Spark gives it. */
    public record Resolved(org.apache.spark.sql.Column column, DataType type) {}

    /** The source columns an expression reads. */
    public static Set<String> referencedColumns(Dataset<Row> source, String key, String expression) {
        Set<String> out = new HashSet<>();
        var references = select(source, key, List.of(expression))
                .queryExecution()
                .analyzed()
                .references()
                .toSeq();
        for (var attribute : scala.collection.JavaConverters.seqAsJavaList(references)) {
            out.add(attribute.name());
        }
        return out;
    }

    /** A column's kind, or null when the type cannot serve as a feature. */
    static ColumnKind kindOf(DataType type) {
        if (type instanceof NumericType) {
            return ColumnKind.NUMERIC;
        }
        if (type instanceof BooleanType) {
            return ColumnKind.BOOLEAN;
        }
        if (type instanceof StringType) {
            return ColumnKind.CATEGORICAL;
        }
        if (type instanceof TimestampType || type instanceof TimestampNTZType || type instanceof DateType) {
            return ColumnKind.TIMESTAMP;
        }
        return null;
    }

    private static String expressionFor(
            String key, String entry, Dataset<Row> source, Set<String> columns, String columnList, String sourceName) {
        if (columns.contains(entry)) {
            SqlExpressions.checkName(key, entry);
            return quote(entry);
        }
        // Checked before Spark analyses it: analysing reflect() alone loads the class it names.
        org.apache.spark.sql.Column checked = SqlExpressions.column(key, entry, columns);
        try {
            source.select(checked).schema();
            return entry;
        } catch (Exception e) {
            if (isIdentifier(entry)) {
                throw new DataException(
                        key + ": column '" + entry + "' not found in " + sourceName + " (columns: " + columnList + ")");
            }
            throw new DataException(key + ": '" + entry + "' is neither a column of " + sourceName
                    + " nor a valid SQL expression: " + ParquetSource.firstLine(e));
        }
    }

    private static void requireColumn(
            String key, String column, Set<String> columns, String columnList, String sourceName) {
        if (!columns.contains(column)) {
            throw new DataException(
                    key + ": column '" + column + "' not found in " + sourceName + " (columns: " + columnList + ")");
        }
    }

    /** A spec entry as SQL: a column name quoted (it may hold spaces or dots), anything else as written. */
    public static String columnOrExpression(String entry, Set<String> columns) {
        return columns.contains(entry) ? quote(entry) : entry;
    }

    public static String quote(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    /** The column name {@link #quote} quoted; anything else (an expression) as it is. */
    public static String unquoted(String sql) {
        return sql.length() > 1 && sql.startsWith("`") && sql.endsWith("`")
                ? sql.substring(1, sql.length() - 1).replace("``", "`")
                : sql;
    }

    private static boolean isIdentifier(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
