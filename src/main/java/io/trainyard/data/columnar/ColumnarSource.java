package io.trainyard.data.columnar;

import static org.apache.spark.sql.functions.col;

import io.trainyard.data.source.ColumnKind;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.SelectedFeature;
import io.trainyard.data.source.SourceData;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.data.Reader;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.data.TimestampPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import scala.collection.JavaConverters;

/**
 * Whether a job can be prepared from column arrays, and its Parquet scan's batches when it can. It can when the rows
 * need nothing of Spark SQL: the label and every feature are plain source columns of a type {@link ColumnReader}
 * reads (numbers, booleans, strings as categories or a class label, timestamps as their parts), the split is the
 * seeded hash split (no key, column or order), no series are windowed, and Spark reads the columns as vectorised
 * batches.
 */
final class ColumnarSource {
    private ColumnarSource() {}

    static ColumnarPreparer.Opened open(
            JobSpec spec,
            SourceData data,
            FeatureSelector.Selection selection,
            Task task,
            boolean stratified,
            int minibatchPartitions) {
        Dataset<Row> source = data.frame();
        String because = refusal(spec, source.schema(), selection, task);
        if (because != null) {
            return new ColumnarPreparer.Opened(null, because);
        }
        List<String> names = new ArrayList<>();
        names.add(FeatureSelector.unquoted(selection.labelExpression()));
        selection.features().forEach(f -> names.add(FeatureSelector.unquoted(f.expression())));
        Dataset<Row> projected = source.select(
                names.stream().map(n -> col(FeatureSelector.quote(n))).toArray(Column[]::new));
        FileSourceScanExec scan = scanOf(projected.queryExecution().executedPlan());
        if (scan == null || !scan.supportsColumnar()) {
            return new ColumnarPreparer.Opened(
                    null,
                    "Spark does not read these columns as vectorised batches (over spark.sql.codegen.maxFields?)");
        }
        Map<String, Integer> position = new HashMap<>();
        List<Attribute> output = JavaConverters.seqAsJavaList(scan.output());
        for (int i = 0; i < output.size(); i++) {
            position.putIfAbsent(output.get(i).name(), i);
        }
        for (String name : names) {
            if (!position.containsKey(name)) {
                return new ColumnarPreparer.Opened(null, "the scan does not output column '" + name + "'");
            }
        }
        BlockLayout layout = layout(spec, selection, names, position, source, task, stratified);
        var batches = scan.executeColumnar().toJavaRDD();
        String tooLarge = MemoryBudget.refusal(
                data.rows(),
                batches.getNumPartitions(),
                minibatchPartitions,
                layout.scalars(),
                layout.categoricals(),
                MemoryBudget.Executor.of(source.sparkSession()));
        if (tooLarge != null) {
            return new ColumnarPreparer.Opened(null, tooLarge);
        }
        var blocks = ColumnarPreparer.cached(batches.mapPartitions(
                partition -> List.of(RowBlock.read(partition, layout)).iterator()));
        return new ColumnarPreparer.Opened(new ColumnarPreparer(layout, blocks, spec, selection), null);
    }

    /** Where the label and each feature sit in the scan's batches, and how each becomes model inputs. */
    private static BlockLayout layout(
            JobSpec spec,
            FeatureSelector.Selection selection,
            List<String> names,
            Map<String, Integer> position,
            Dataset<Row> source,
            Task task,
            boolean stratified) {
        StructType schema = source.schema();
        List<TimestampPart> parts = spec.data().timestampParts();
        List<BlockLayout.Feature> features = new ArrayList<>();
        int inputs = 0;
        int scalars = 0;
        int categoricals = 0;
        for (int i = 0; i < selection.features().size(); i++) {
            String name = names.get(i + 1);
            BlockLayout.Kind kind = kindOf(selection.features().get(i).kind());
            features.add(new BlockLayout.Feature(
                    selection.features().get(i).name(),
                    position.get(name),
                    ColumnReader.of(schema.apply(name).dataType()),
                    kind,
                    inputs,
                    kind == BlockLayout.Kind.CATEGORICAL ? categoricals : scalars));
            int width = kind == BlockLayout.Kind.TIMESTAMP ? parts.size() : 1;
            inputs += width;
            if (kind == BlockLayout.Kind.CATEGORICAL) {
                categoricals++;
            } else {
                scalars += width;
            }
        }
        long seed = spec.split().seed();
        return new BlockLayout(
                position.get(names.get(0)),
                ColumnReader.of(schema.apply(names.get(0)).dataType()),
                features,
                inputs,
                scalars,
                categoricals,
                parts,
                source.sparkSession().sessionState().conf().sessionLocalTimeZone(),
                task == Task.CLASSIFICATION,
                spec.data().maxClasses(),
                stratified,
                spec.data().nulls(),
                Seeds.derive(seed, "split"),
                Seeds.derive(seed, "order"));
    }

    /** Why the row path must prepare this job, or null when the columnar one can. */
    private static String refusal(JobSpec spec, StructType schema, FeatureSelector.Selection selection, Task task) {
        var data = spec.data();
        var split = spec.split();
        if (data.reader() == Reader.ROWS) {
            return "data.reader = rows";
        }
        if (data.sequence().enabled()) {
            return "data.sequence windows the rows";
        }
        if (data.text().enabled()) {
            return "data.text tokenises the rows";
        }
        if (split.userSplit() || split.ordered() || !selection.keyExpressions().isEmpty()) {
            return "split.column, split.order-by or split.key is set";
        }
        if (!data.labelled()) {
            return "the rows have no label";
        }
        String label = plainColumn(selection.labelExpression(), schema);
        if (label == null) {
            return "data.label is an expression";
        }
        ColumnReader labelReader = ColumnReader.of(schema.apply(label).dataType());
        if (labelReader == null
                || (task == Task.CLASSIFICATION && !labelReader.hasText())
                || (task == Task.REGRESSION && labelReader == ColumnReader.STRING)) {
            return "data.label '" + label + "' has type "
                    + schema.apply(label).dataType().simpleString();
        }
        for (SelectedFeature f : selection.features()) {
            String column = plainColumn(f.expression(), schema);
            if (column == null) {
                return "feature '" + f.name() + "' is an expression";
            }
            DataType type = schema.apply(column).dataType();
            ColumnReader reader = ColumnReader.of(type);
            boolean readable = switch (f.kind()) {
                case NUMERIC, BOOLEAN -> reader != null && reader != ColumnReader.STRING;
                case CATEGORICAL -> reader != null && reader.hasText();
                case TIMESTAMP -> type instanceof TimestampType;
                case TEXT -> false;
            };
            if (!readable) {
                return "feature '" + f.name() + "' has type " + type.simpleString() + " as a "
                        + f.kind().name().toLowerCase(java.util.Locale.ROOT) + " input";
            }
        }
        return null;
    }

    private static BlockLayout.Kind kindOf(ColumnKind kind) {
        return switch (kind) {
            case NUMERIC, BOOLEAN -> BlockLayout.Kind.SCALAR;
            case TIMESTAMP -> BlockLayout.Kind.TIMESTAMP;
            case CATEGORICAL -> BlockLayout.Kind.CATEGORICAL;
            case TEXT -> throw new IllegalStateException("text is read as Spark rows");
        };
    }

    /** The source column an expression names, or null for any other expression. */
    private static String plainColumn(String expression, StructType schema) {
        String name = FeatureSelector.unquoted(expression);
        boolean quoted = !name.equals(expression) && FeatureSelector.quote(name).equals(expression);
        return quoted && List.of(schema.fieldNames()).contains(name) ? name : null;
    }

    private static FileSourceScanExec scanOf(SparkPlan plan) {
        if (plan instanceof FileSourceScanExec scan) {
            return scan;
        }
        for (SparkPlan child : JavaConverters.seqAsJavaList(plan.children())) {
            FileSourceScanExec found = scanOf(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
