package io.trainyard.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import io.trainyard.spec.DataSpec;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.ModelType;
import io.trainyard.spec.NullPolicy;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.SequenceSpec;
import io.trainyard.spec.SplitSpec;
import io.trainyard.spec.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The data pipeline from Parquet to persisted minibatches: check the source, select label and features, apply the
 * null policy, split (stratified, exact, deterministic), fit vocabularies, impute values and the normaliser on the
 * train split, and encode each split as DL4J minibatches in a row order derived from the seed.
 */
public final class DataPreparer {
    private static final Logger LOG = LoggerFactory.getLogger(DataPreparer.class);
    /** An integer label with at most this many distinct values is taken as classes when {@code task = auto}. */
    static final int MAX_INFERRED_CLASSES = 20;

    private static final String ORDER = "__o";
    private static final String ORDER_TIE = "__o2";

    private final SparkSession spark;
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private long lap = System.nanoTime();

    private DataPreparer(SparkSession spark) {
        this.spark = spark;
    }

    /** Prepares the data of a job; the binary label layout (one 0/1 column or two one-hot) comes from the model. */
    public static PreparedData prepare(SparkSession spark, JobSpec spec, boolean binaryAsOneColumn) {
        PreparedData data = new DataPreparer(spark).run(spec, binaryAsOneColumn);
        if (spec.model().type() != ModelType.AUTOENCODER) {
            return data;
        }
        var ae = spec.model().autoencoder();
        return Reconstruction.of(
                data, ae.normalClass(), ae.thresholdPercentile(), spec.model().codeLayer());
    }

    /** Checks spec and data without reading rows beyond what task inference needs: the dry run of {@code validate}. */
    public static FeatureSelector.Selection check(SparkSession spark, JobSpec spec) {
        SourceData source = ParquetSource.open(spark, spec.data().path());
        return Source.of(source, spec).selection();
    }

    /**
     * The frame preparation reads and how it is selected: the source itself, or, for long-format series, its windows
     * read through the spec windowing makes (array inputs, the series as the split key).
     */
    private record Source(
            Dataset<Row> frame, DataSpec data, FeatureSelector.Selection selection, SequenceWindows.Windowed windows) {
        static Source of(SourceData source, JobSpec spec) {
            DataSpec data = spec.data();
            SplitSpec split = spec.split();
            if (!data.sequence().enabled()) {
                return new Source(
                        source.frame(),
                        data,
                        FeatureSelector.resolve(data, split, source.frame(), source.path()),
                        null);
            }
            SequenceWindows.Windowed w = SequenceWindows.apply(
                    source.frame(), data, spec.task(), split.train(), split.validation(), source.path());
            SplitSpec bySeries = new SplitSpec(
                    split.train(),
                    split.validation(),
                    split.test(),
                    split.stratify(),
                    split.seed(),
                    data.sequence().split() == SequenceSpec.SequenceSplit.SERIES
                            ? List.of(data.sequence().series())
                            : List.of(),
                    "",
                    "");
            return new Source(
                    w.frame(),
                    w.data(),
                    FeatureSelector.resolve(w.data(), bySeries, w.frame(), source.path() + " (windows)"),
                    w);
        }
    }

    /**
     * Which split each row lands in: the {@code data.id} columns (or the split key columns when no id is set) and
     * {@code split} ("train", "validation", "test"). For audits and tests; trains nothing, caches nothing.
     */
    public static Dataset<Row> splitMembership(SparkSession spark, JobSpec spec) {
        Split split = new DataPreparer(spark).split(spec, false);
        List<Column> columns = new ArrayList<>();
        for (String id : split.selection().id()) {
            columns.add(col(FeatureSelector.quote(id)));
        }
        for (int k = 0; k < split.selection().keyExpressions().size(); k++) {
            columns.add(col(FeatureSelector.KEY_PREFIX + k));
        }
        columns.add(element_at(
                        array(lit("train"), lit("validation"), lit("test")),
                        col(SplitAssigner.SPLIT).plus(1))
                .as("split"));
        return split.assignment().frame().select(columns.toArray(Column[]::new));
    }

    /** Everything up to and including the split; {@code derived} is cached when asked and released by the caller. */
    private record Split(
            SourceData source,
            FeatureSelector.Selection selection,
            FeaturePlan.WindowPlan windows,
            Task task,
            boolean stratified,
            List<ModelInput> unfitted,
            Dataset<Row> derived,
            NullCensus census,
            List<String> classes,
            SplitAssigner.Assignment assignment,
            Map<String, SplitCounts> strata) {}

    private Split split(JobSpec spec, boolean cache) {
        SplitSpec splitSpec = spec.split();
        SourceData source = ParquetSource.open(spark, spec.data().path());
        Source read = Source.of(source, spec);
        DataSpec data = read.data();
        FeatureSelector.Selection selection = read.selection();
        LOG.info(
                "data: {} file(s), {} MB, {} feature(s) from {}",
                source.files().size(),
                String.format("%.1f", source.bytes() / 1e6),
                selection.features().size(),
                source.path());
        Dataset<Row> frame =
                splitSpec.userSplit() ? UserSplit.mark(read.frame(), splitSpec.column(), source.path()) : read.frame();
        OrderedSplit ordered = null;
        if (splitSpec.ordered()) {
            OrderedSplit.Marked marked = OrderedSplit.mark(frame, splitSpec.orderBy(), source.path());
            frame = marked.frame();
            ordered = marked.split();
        }
        Dataset<Row> selected = FeatureTransforms.select(
                frame, selection.labelExpression(), selection.features(), selection.id(), selection.keyExpressions());
        Task task = resolveTask(spec.task(), selection, selected);
        boolean stratified = splitSpec.stratifies(task);
        mark("check source");

        List<ModelInput> unfitted = FeatureTransforms.unfittedInputs(selection.features(), data.timestampParts());
        Dataset<Row> derived = withHashes(
                FeatureTransforms.derive(selected, selection.features(), unfitted, task),
                selection,
                splitSpec.seed(),
                ordered);
        if (cache) {
            derived = derived.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            NullCensus census = NullCensus.take(derived, unfitted, data.nulls(), data.label());
            Dataset<Row> usable = census.apply(derived);
            mark("read and check values");

            List<String> classes = task == Task.CLASSIFICATION ? classes(usable, selection, data) : List.of();
            Dataset<Row> stratifiedFrame = usable.withColumn(SplitAssigner.STRATUM, stratum(stratified, selection));
            // Windows split by time arrive with their split; everything else is split here by hash.
            SplitAssigner.Assignment assignment = splitSpec.userSplit()
                    ? SplitAssigner.preassigned(
                            stratifiedFrame,
                            stratified ? "class" : "",
                            "rows",
                            "split.column = " + splitSpec.column() + " must give every split rows of each class")
                    : List.of(stratifiedFrame.columns()).contains(SplitAssigner.SPLIT)
                            ? SplitAssigner.preassigned(
                                    stratifiedFrame,
                                    stratified ? "class" : "",
                                    "windows",
                                    "longer series, a shorter window, or data.sequence.split = series")
                            : SplitAssigner.assign(
                                    spark,
                                    stratifiedFrame,
                                    splitSpec.train(),
                                    splitSpec.validation(),
                                    stratified ? "class" : "",
                                    !splitSpec.ordered());
            Map<String, SplitCounts> strata =
                    strata(assignment, stratified && selection.keyExpressions().isEmpty(), task);
            mark("split");
            return new Split(
                    source,
                    selection,
                    read.windows() == null ? null : read.windows().plan(),
                    task,
                    stratified,
                    unfitted,
                    derived,
                    census,
                    classes,
                    assignment,
                    strata);
        } catch (RuntimeException e) {
            derived.unpersist(false);
            throw e;
        }
    }

    private PreparedData run(JobSpec spec, boolean binaryAsOneColumn) {
        Split split = split(spec, true);
        try {
            return encode(spec, split, binaryAsOneColumn);
        } finally {
            split.derived().unpersist(false);
        }
    }

    private PreparedData encode(JobSpec spec, Split split, boolean binaryAsOneColumn) {
        DataSpec data = spec.data();
        SplitSpec splitSpec = spec.split();
        Dataset<Row> assigned = split.assignment().frame();
        Dataset<Row> train = assigned.where(col(SplitAssigner.SPLIT).equalTo(SplitAssigner.TRAIN));
        TrainStatsFitter.Fitted fitted = TrainStatsFitter.fit(train, split.unfitted(), data, spec.normalize());
        FeatureSelector.Selection selection = split.selection();
        FeaturePlan plan = new FeaturePlan(
                split.task(),
                selection.labelExpression(),
                selection.labelKind(),
                selection.features(),
                selection.id(),
                fitted.inputs(),
                split.classes(),
                fitted.inputWidth(),
                selection.targets(),
                split.windows(),
                null,
                null);
        if (spec.scalesTarget(split.task())) {
            plan = plan.withTarget(TrainStatsFitter.fitTarget(train, plan, fitted.normalizer()));
        }
        if (split.task() == Task.CLASSIFICATION && spec.train().classWeights().enabled()) {
            long[] trainCounts = split.classes().stream()
                    .mapToLong(c -> split.strata().containsKey(c)
                            ? split.strata().get(c).train()
                            : 0)
                    .toArray();
            double[] weights = spec.train().classWeights().resolve(split.classes(), trainCounts);
            plan = plan.withClassWeights(
                    java.util.Arrays.stream(weights).boxed().toList());
            LOG.info("class weights in the training loss: {}", plan.classWeights());
        }
        mark("fit on train");

        MinibatchEncoder.LabelLayout layout = split.task() == Task.REGRESSION
                ? MinibatchEncoder.LabelLayout.VALUE
                : plan.labelWidth(binaryAsOneColumn) == 1
                        ? MinibatchEncoder.LabelLayout.BINARY
                        : MinibatchEncoder.LabelLayout.ONE_HOT;
        MinibatchEncoder encoder =
                new MinibatchEncoder(plan, layout, spec.train().batchSize());
        // One partition per training worker keeps parameter averaging balanced without a reshuffle per epoch.
        int partitions = data.partitions() > 0
                ? data.partitions()
                : spec.train().workersOr(spark.sparkContext().defaultParallelism());
        JavaRDD<Tuple2<Integer, DataSet>> tagged = encodedRows(assigned, plan, fitted.normalizer(), partitions)
                .mapPartitions(encoder::encode)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<JavaRDD<DataSet>> splits = new ArrayList<>();
        List<Long> batches = new ArrayList<>();
        for (int s = SplitAssigner.TRAIN; s <= SplitAssigner.TEST; s++) {
            final int wanted = s;
            JavaRDD<DataSet> part =
                    tagged.filter(t -> t._1() == wanted).map(Tuple2::_2).persist(StorageLevel.MEMORY_AND_DISK());
            batches.add(part.count());
            splits.add(part);
        }
        tagged.unpersist(false);
        mark("encode minibatches");

        Map<String, SplitCounts> strata = split.strata();
        SplitCounts total = strata.values().stream().reduce(new SplitCounts(0, 0, 0), SplitCounts::plus);
        SplitManifest manifest = new SplitManifest(
                splitSpec.seed(),
                splitSpec.train(),
                splitSpec.validation(),
                splitSpec.test(),
                split.stratified(),
                splitSpec.key(),
                total,
                strata,
                split.census().droppedRows(),
                batches);
        LOG.info(
                "split: train {} / validation {} / test {} rows; {} input(s){}",
                total.train(),
                total.validation(),
                total.test(),
                plan.inputWidth(),
                split.classes().isEmpty() ? "" : ", classes " + split.classes());
        return new PreparedData(
                split.source(),
                plan,
                fitted.normalizer(),
                manifest,
                encoder,
                splits.get(0),
                splits.get(1),
                splits.get(2),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings)),
                null);
    }

    private void mark(String stage) {
        long now = System.nanoTime();
        timings.put(stage, (now - lap) / 1_000_000);
        lap = now;
    }

    private Task resolveTask(Task declared, FeatureSelector.Selection selection, Dataset<Row> selected) {
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
        var type = selected.schema().apply(FeatureSelector.LABEL).dataType();
        if (type instanceof ArrayType
                || type instanceof DoubleType
                || type instanceof FloatType
                || type instanceof DecimalType) {
            return Task.REGRESSION;
        }
        long distinct = selected.select(FeatureSelector.LABEL)
                .where(col(FeatureSelector.LABEL).isNotNull())
                .distinct()
                .limit(MAX_INFERRED_CLASSES + 1)
                .count();
        return distinct <= MAX_INFERRED_CLASSES ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    /**
     * Split hash (key and seed, or the split order with the key hash ranking ties) and row-order hashes (seed), all
     * independent of file order and partitioning.
     */
    private static Dataset<Row> withHashes(
            Dataset<Row> frame, FeatureSelector.Selection selection, long seed, OrderedSplit ordered) {
        List<Column> key = new ArrayList<>();
        key.add(lit(Seeds.derive(seed, "split")));
        if (selection.keyExpressions().isEmpty()) {
            key.addAll(rowColumns(selection));
        } else {
            for (int k = 0; k < selection.keyExpressions().size(); k++) {
                key.add(col(FeatureSelector.KEY_PREFIX + k));
            }
        }
        List<Column> tie = new ArrayList<>();
        tie.add(lit(Seeds.derive(seed, "order-tie")));
        tie.addAll(rowColumns(selection));
        Column keyHash = xxhash64(key.toArray(Column[]::new));
        return frame.withColumn(SplitAssigner.HASH, ordered == null ? keyHash : ordered.hash(keyHash))
                .withColumn(ORDER, xxhash64(lit(Seeds.derive(seed, "order")), col(SplitAssigner.HASH)))
                .withColumn(ORDER_TIE, xxhash64(tie.toArray(Column[]::new)));
    }

    private static List<Column> rowColumns(FeatureSelector.Selection selection) {
        List<Column> out = new ArrayList<>();
        out.add(col(FeatureSelector.LABEL));
        for (SelectedFeature f : selection.features()) {
            out.add(col(FeatureSelector.quote(f.name())));
        }
        return out;
    }

    /**
     * The stratum of a row: its class, or, when split.key groups rows that may differ in class, the smallest class
     * of its group, so that a group never straddles splits.
     */
    private static Column stratum(boolean stratified, FeatureSelector.Selection selection) {
        if (!stratified) {
            return lit("all");
        }
        if (selection.keyExpressions().isEmpty()) {
            return col(FeatureTransforms.Y);
        }
        Column[] keys = new Column[selection.keyExpressions().size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = col(FeatureSelector.KEY_PREFIX + k);
        }
        return min(col(FeatureTransforms.Y)).over(Window.partitionBy(keys));
    }

    private static List<String> classes(Dataset<Row> usable, FeatureSelector.Selection selection, DataSpec data) {
        List<Row> rows = usable.groupBy(FeatureTransforms.Y)
                .count()
                .limit(data.maxClasses() + 1)
                .collectAsList();
        if (rows.size() > data.maxClasses()) {
            throw new DataException("data.label: '" + data.label() + "' has more than " + data.maxClasses()
                    + " distinct values; set task = regression, or raise data.max-classes");
        }
        List<String> classes =
                new ArrayList<>(rows.stream().map(r -> r.getString(0)).toList());
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

    /** Rows per split for each class; the assignment already has them when the strata are the classes. */
    private static Map<String, SplitCounts> strata(
            SplitAssigner.Assignment assignment, boolean strataAreClasses, Task task) {
        if (task != Task.CLASSIFICATION || strataAreClasses) {
            return assignment.counts();
        }
        Map<String, long[]> counts = new java.util.TreeMap<>();
        for (Row r : assignment
                .frame()
                .groupBy(FeatureTransforms.Y, SplitAssigner.SPLIT)
                .count()
                .collectAsList()) {
            counts.computeIfAbsent(r.getString(0), k -> new long[3])[r.getInt(1)] = r.getLong(2);
        }
        Map<String, SplitCounts> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, new SplitCounts(v[0], v[1], v[2])));
        List<String> untrained = out.entrySet().stream()
                .filter(e -> e.getValue().train() == 0)
                .map(e -> "'" + e.getKey() + "' (" + e.getValue().validation() + " validation, "
                        + e.getValue().test() + " test rows)")
                .toList();
        if (!untrained.isEmpty()) {
            throw new DataException("split: class " + String.join(", ", untrained) + " has no rows in train, so the "
                    + "model could never learn it; set split.stratify = true, or move the split");
        }
        return out;
    }

    /** Split, encoded label and inputs, hash-partitioned and sorted by the seed's row order. */
    private static JavaRDD<InternalRow> encodedRows(
            Dataset<Row> assigned, FeaturePlan plan, NormalizerStats stats, int partitions) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(SplitAssigner.SPLIT));
        if (plan.task() == Task.CLASSIFICATION) {
            columns.add(FeatureTransforms.classIndex(plan.classes()));
        } else {
            boolean values = assigned.schema().apply(FeatureTransforms.Y).dataType() instanceof ArrayType;
            for (int k = 1; k <= (values ? plan.targets() : 1); k++) {
                Column y = (values ? element_at(col(FeatureTransforms.Y), k) : col(FeatureTransforms.Y)).cast("double");
                columns.add(plan.target() == null ? y : plan.target().scaled(y));
            }
        }
        List<ModelInput> scalars = plan.scalarInputs();
        for (int i = 0; i < scalars.size(); i++) {
            columns.add(FeatureTransforms.encodedScalar(i, scalars.get(i), stats));
        }
        List<ModelInput> categoricals = plan.categoricalInputs();
        for (int j = 0; j < categoricals.size(); j++) {
            columns.add(FeatureTransforms.categoryIndex(j, categoricals.get(j)));
        }
        columns.add(col(ORDER));
        columns.add(col(ORDER_TIE));
        Dataset<Row> ordered = assigned.select(columns.toArray(Column[]::new))
                .repartition(partitions, col(ORDER))
                .sortWithinPartitions(ORDER, ORDER_TIE);
        return ordered.queryExecution().toRdd().toJavaRDD();
    }

    /** Nulls, NaN and infinities per column, counted in one pass, and what the null policy makes of them. */
    record NullCensus(NullPolicy policy, long droppedRows, List<String> checkedColumns) {
        static NullCensus take(Dataset<Row> derived, List<ModelInput> inputs, NullPolicy policy, String labelName) {
            List<String> names = new ArrayList<>();
            List<String> checked = new ArrayList<>();
            checked.add(FeatureTransforms.Y);
            names.add("label '" + labelName + "'");
            int s = 0;
            int c = 0;
            for (ModelInput in : inputs) {
                checked.add(
                        in.categorical() ? FeatureTransforms.categoricalName(c++) : FeatureTransforms.scalarName(s++));
                names.add("'" + in.name() + "'");
            }
            ColumnScan.Partial scan = ColumnScan.scan(derived, List.of(), checked);
            long total = scan.rows;
            List<String> offenders = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (scan.nulls[i] > 0) {
                    offenders.add(names.get(i) + " " + scan.nulls[i]);
                }
            }
            long labelNulls = scan.nulls[0];
            long rowsWithNulls = scan.rowsWithNull;
            if (policy == NullPolicy.FAIL && !offenders.isEmpty()) {
                throw new DataException("data.nulls = fail: null, NaN or infinite values in "
                        + String.join(", ", offenders) + " (of " + total + " rows); set data.nulls = drop or impute");
            }
            long dropped = policy == NullPolicy.DROP ? rowsWithNulls : policy == NullPolicy.IMPUTE ? labelNulls : 0;
            if (dropped > 0) {
                LOG.info(
                        "data.nulls = {}: dropping {} of {} rows",
                        policy.name().toLowerCase(java.util.Locale.ROOT),
                        dropped,
                        total);
            }
            if (total == 0) {
                throw new DataException("data: no rows to train on");
            }
            if (dropped == total) {
                throw new DataException("data.nulls = " + policy.name().toLowerCase(java.util.Locale.ROOT)
                        + ": every one of the " + total + " rows has a null; nothing is left to train on");
            }
            return new NullCensus(policy, dropped, checked);
        }

        Dataset<Row> apply(Dataset<Row> derived) {
            if (policy == NullPolicy.FAIL || droppedRows == 0) {
                return derived;
            }
            if (policy == NullPolicy.IMPUTE) {
                return derived.where(col(FeatureTransforms.Y).isNotNull());
            }
            return derived.na().drop(checkedColumns.toArray(String[]::new));
        }
    }
}
