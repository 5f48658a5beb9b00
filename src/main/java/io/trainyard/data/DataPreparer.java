package io.trainyard.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import io.trainyard.data.columnar.ColumnarPreparer;
import io.trainyard.data.columnar.PackedRows;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.FeatureTransforms;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.NullCensus;
import io.trainyard.data.features.TargetScale;
import io.trainyard.data.features.TextPlan;
import io.trainyard.data.features.TrainStatsFitter;
import io.trainyard.data.source.Columns;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.ParquetSource;
import io.trainyard.data.source.SourceData;
import io.trainyard.data.split.SplitAssigner;
import io.trainyard.data.split.SplitCounts;
import io.trainyard.data.split.SplitKeys;
import io.trainyard.data.split.SplitManifest;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.data.NullPolicy;
import io.trainyard.spec.data.SplitSpec;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.data.TextSpec;
import io.trainyard.spec.model.ModelType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ArrayType;
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

    /** The stage the columnar reader reads in (the row path's is "read and check values"). */
    public static final String READ_COLUMNS = "read columns and check values";

    private final SparkSession spark;
    private final StageTimings timings = new StageTimings();

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
        return SplitStage.Source.of(source, spec).selection();
    }

    /**
     * Which split each row lands in: the {@code data.id} columns (or the split key columns when no id is set) and
     * {@code split} ("train", "validation", "test"). For audits and tests; trains nothing, caches nothing.
     */
    public static Dataset<Row> splitMembership(SparkSession spark, JobSpec spec) {
        SplitStage.Split split = SplitStage.run(spark, spec, false, new StageTimings());
        List<Column> columns = new ArrayList<>();
        for (String id : split.selection().id()) {
            columns.add(col(FeatureSelector.quote(id)));
        }
        for (int k = 0; k < split.selection().keyExpressions().size(); k++) {
            columns.add(col(Columns.KEY_PREFIX + k));
        }
        columns.add(element_at(
                        array(lit("train"), lit("validation"), lit("test")),
                        col(SplitAssigner.SPLIT).plus(1))
                .as("split"));
        return split.assignment().frame().select(columns.toArray(Column[]::new));
    }

    private PreparedData run(JobSpec spec, boolean binaryAsOneColumn) {
        SplitStage.Checked checked = SplitStage.check(spark, spec, timings);
        ColumnarPreparer.Opened columnar = ColumnarPreparer.open(
                spec,
                checked.source(),
                checked.read().selection(),
                checked.task(),
                checked.stratified(),
                spec.data().partitions() > 0
                        ? spec.data().partitions()
                        : spec.train().workersOr(spark.sparkContext().defaultParallelism()));
        String rowsBecause = columnar.rowPathBecause();
        if (columnar.preparer() != null) {
            try (ColumnarPreparer preparer = columnar.preparer()) {
                rowsBecause = preparer.read();
                if (rowsBecause == null) {
                    return columnar(spec, checked, preparer, binaryAsOneColumn);
                }
            }
        }
        LOG.info("data: reading Spark rows ({})", rowsBecause);
        // Parquet is re-read by each pass rather than cached: building Spark's columnar cache of a wide frame cost
        // more than the passes it saved (1M rows of 64 columns: 16 s to cache; a vectorised re-read is about 1 s).
        // Windows of a long-format series come out of a shuffle and a window function and are cached.
        boolean cache = spec.data().sequence().enabled();
        SplitStage.Split split = SplitStage.split(spark, spec, checked, cache, timings);
        try {
            return rows(spec, split, binaryAsOneColumn);
        } finally {
            split.derived().unpersist(false);
        }
    }

    /** What the split decided, however it was made. */
    private record Divided(
            SourceData source,
            FeatureSelector.Selection selection,
            FeaturePlan.WindowPlan windows,
            Task task,
            boolean stratified,
            List<String> classes,
            Map<String, SplitCounts> strata,
            long droppedRows) {}

    private PreparedData rows(JobSpec spec, SplitStage.Split split, boolean binaryAsOneColumn) {
        Divided divided = new Divided(
                split.source(),
                split.selection(),
                split.windows(),
                split.task(),
                split.stratified(),
                split.classes(),
                split.strata(),
                split.census().droppedRows());
        Dataset<Row> assigned = split.assignment().frame();
        Dataset<Row> train = assigned.where(col(SplitAssigner.SPLIT).equalTo(SplitAssigner.TRAIN));
        TrainStatsFitter.Fitted fitted = TrainStatsFitter.fit(train, split.unfitted(), spec.data(), spec.normalize());
        TextSpec textSpec = spec.data().text();
        TextPlan text = textSpec.enabled()
                ? TrainStatsFitter.fitText(
                        train,
                        divided.strata().values().stream()
                                .mapToLong(SplitCounts::train)
                                .sum(),
                        textSpec,
                        spec.model().type() == ModelType.MLP ? TextPlan.Layout.BAG : TextPlan.Layout.SEQUENCE,
                        spec.data().nulls() == NullPolicy.IMPUTE,
                        fitted.inputWidth())
                : null;
        FeaturePlan plan =
                plan(spec, divided, fitted, text, p -> TrainStatsFitter.fitTarget(train, p, fitted.normalizer()));
        timings.mark("fit on train");
        MinibatchEncoder encoder = encoder(spec, plan, binaryAsOneColumn);
        JavaRDD<Tuple2<Integer, DataSet>> tagged = encodedRows(
                        assigned, plan, fitted.normalizer(), partitions(spec, divided.strata()))
                .mapPartitions(encoder::encode)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return finish(
                    spec,
                    divided,
                    plan,
                    fitted.normalizer(),
                    encoder,
                    s -> tagged.filter(t -> t._1() == s).map(Tuple2::_2));
        } finally {
            tagged.unpersist(false);
        }
    }

    private PreparedData columnar(
            JobSpec spec, SplitStage.Checked checked, ColumnarPreparer preparer, boolean binaryAsOneColumn) {
        NullCensus census = preparer.census(checked.unfitted());
        timings.mark(READ_COLUMNS);
        List<String> classes = checked.task() == Task.CLASSIFICATION ? preparer.classes() : List.of();
        Map<String, SplitCounts> strata = preparer.split();
        timings.mark("split");
        Divided divided = new Divided(
                checked.source(),
                checked.read().selection(),
                null,
                checked.task(),
                checked.stratified(),
                classes,
                strata,
                census.droppedRows());
        ColumnarPreparer.Fit fit = preparer.fit(checked.unfitted(), spec.scalesTarget(checked.task()));
        FeaturePlan plan = plan(spec, divided, fit.fitted(), null, p -> fit.target());
        timings.mark("fit on train");
        MinibatchEncoder encoder = encoder(spec, plan, binaryAsOneColumn);
        JavaRDD<PackedRows> packed = preparer.pack(plan, fit.fitted().normalizer(), partitions(spec, strata));
        return finish(
                spec,
                divided,
                plan,
                fit.fitted().normalizer(),
                encoder,
                s -> packed.mapPartitions(rows -> encoder.encodePacked(rows, s)));
    }

    /** The feature plan from what the train split gave, with the label's scale and the class weights. */
    private static FeaturePlan plan(
            JobSpec spec,
            Divided split,
            TrainStatsFitter.Fitted fitted,
            TextPlan text,
            java.util.function.Function<FeaturePlan, TargetScale> targetScale) {
        FeatureSelector.Selection selection = split.selection();
        FeaturePlan plan = new FeaturePlan(
                split.task(),
                selection.labelExpression(),
                selection.labelKind(),
                selection.features(),
                SequenceWindows.modelIds(selection.id()),
                fitted.inputs(),
                split.classes(),
                fitted.inputWidth(),
                selection.targets(),
                split.windows(),
                null,
                null,
                null);
        if (text != null) {
            plan = plan.withText(text);
        }
        if (spec.scalesTarget(split.task())) {
            plan = plan.withTarget(targetScale.apply(plan));
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
        return plan;
    }

    private static MinibatchEncoder encoder(JobSpec spec, FeaturePlan plan, boolean binaryAsOneColumn) {
        MinibatchEncoder.LabelLayout layout = plan.task() == Task.REGRESSION
                ? MinibatchEncoder.LabelLayout.VALUE
                : plan.labelWidth(binaryAsOneColumn) == 1
                        ? MinibatchEncoder.LabelLayout.BINARY
                        : MinibatchEncoder.LabelLayout.ONE_HOT;
        return new MinibatchEncoder(plan, layout, spec.train().batchSize());
    }

    /**
     * One partition per training worker keeps parameter averaging balanced without a reshuffle per epoch; with
     * {@code train.workers = 0} the training split's size decides how many ({@link io.trainyard.spec.train.TrainSpec#workersFor}).
     */
    private int partitions(JobSpec spec, Map<String, SplitCounts> strata) {
        long trainRows = strata.values().stream().mapToLong(SplitCounts::train).sum();
        return spec.data().partitions() > 0
                ? spec.data().partitions()
                : spec.train().workersFor(trainRows, spark.sparkContext().defaultParallelism());
    }

    /** Each split's minibatches (persisted and counted) and the manifest of the split. */
    private PreparedData finish(
            JobSpec spec,
            Divided split,
            FeaturePlan plan,
            NormalizerStats normalizer,
            MinibatchEncoder encoder,
            java.util.function.IntFunction<JavaRDD<DataSet>> minibatchesOf) {
        SplitSpec splitSpec = spec.split();
        List<JavaRDD<DataSet>> splits = new ArrayList<>();
        List<Long> batches = new ArrayList<>();
        for (int s = SplitAssigner.TRAIN; s <= SplitAssigner.TEST; s++) {
            JavaRDD<DataSet> part = minibatchesOf.apply(s).persist(StorageLevel.MEMORY_AND_DISK());
            batches.add(part.count());
            splits.add(part);
        }
        timings.mark("encode minibatches");

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
                split.droppedRows(),
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
                normalizer,
                manifest,
                encoder,
                splits.get(0),
                splits.get(1),
                splits.get(2),
                timings.snapshot(),
                null);
    }

    /** Split, encoded label and inputs, hash-partitioned and sorted by the seed's row order. */
    private static JavaRDD<InternalRow> encodedRows(
            Dataset<Row> assigned, FeaturePlan plan, NormalizerStats stats, int partitions) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(SplitAssigner.SPLIT));
        if (plan.task() == Task.CLASSIFICATION) {
            columns.add(FeatureTransforms.classIndex(plan.classes()));
        } else {
            boolean values = assigned.schema().apply(Columns.Y).dataType() instanceof ArrayType;
            for (int k = 1; k <= (values ? plan.targets() : 1); k++) {
                Column y = (values ? element_at(col(Columns.Y), k) : col(Columns.Y)).cast("double");
                columns.add(plan.target() == null ? y : plan.target().scaled(y));
            }
        }
        if (MinibatchEncoder.carriesSpread(plan)) {
            columns.add(col(SequenceWindows.SPREAD).cast("double"));
        }
        columns.addAll(RowEncoder.inputColumns(plan, stats));
        columns.add(col(SplitKeys.ORDER));
        columns.add(col(SplitKeys.ORDER_TIE));
        Dataset<Row> ordered = assigned.select(columns.toArray(Column[]::new))
                .repartition(partitions, col(SplitKeys.ORDER))
                .sortWithinPartitions(SplitKeys.ORDER, SplitKeys.ORDER_TIE);
        return ordered.queryExecution().toRdd().toJavaRDD();
    }
}
