package io.trainyard.data;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.FeatureTransforms;
import io.trainyard.data.features.LabelInference;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NullCensus;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.ParquetSource;
import io.trainyard.data.source.SourceData;
import io.trainyard.data.split.OrderedSplit;
import io.trainyard.data.split.SplitAssigner;
import io.trainyard.data.split.SplitCounts;
import io.trainyard.data.split.SplitKeys;
import io.trainyard.data.split.UserSplit;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.data.DataSpec;
import io.trainyard.spec.data.SequenceSpec;
import io.trainyard.spec.data.SplitSpec;
import io.trainyard.spec.data.Task;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first half of preparation, up to and including the split: read and check the source (or the windows of a
 * long-format series), select label and features, infer the task and classes, take the null census and assign every
 * row to train, validation or test. Nothing here is fitted; {@link DataPreparer} fits and encodes on its result.
 */
final class SplitStage {
    private static final Logger LOG = LoggerFactory.getLogger(SplitStage.class);

    private SplitStage() {}

    /**
     * The frame preparation reads and how it is selected: the source itself, or, for long-format series, its windows
     * read through the spec windowing makes (array inputs, the series as the split key).
     */
    record Source(
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

    /** Everything up to and including the split; {@code derived} is cached when asked and released by the caller. */
    record Split(
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

    /**
     * The source checked and selected, before any value is read: its task (inferred from the label when asked) and
     * whether the split is stratified.
     */
    record Checked(
            SourceData source,
            Source read,
            Dataset<Row> selected,
            OrderedSplit ordered,
            Task task,
            boolean stratified,
            List<ModelInput> unfitted) {}

    static Split run(SparkSession spark, JobSpec spec, boolean cache, StageTimings timings) {
        return split(spark, spec, check(spark, spec, timings), cache, timings);
    }

    static Checked check(SparkSession spark, JobSpec spec, StageTimings timings) {
        SplitSpec splitSpec = spec.split();
        SourceData source = ParquetSource.open(spark, spec.data().path());
        Source read = Source.of(source, spec);
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
        Task task = LabelInference.resolveTask(spec.task(), selection, selected);
        timings.mark("check source");
        return new Checked(
                source,
                read,
                selected,
                ordered,
                task,
                splitSpec.stratifies(task),
                FeatureTransforms.unfittedInputs(
                        selection.features(), read.data().timestampParts()));
    }

    static Split split(SparkSession spark, JobSpec spec, Checked checked, boolean cache, StageTimings timings) {
        SplitSpec splitSpec = spec.split();
        SourceData source = checked.source();
        Source read = checked.read();
        DataSpec data = read.data();
        FeatureSelector.Selection selection = read.selection();
        Task task = checked.task();
        boolean stratified = checked.stratified();
        Dataset<Row> selected = checked.selected();
        OrderedSplit ordered = checked.ordered();

        List<ModelInput> unfitted = checked.unfitted();
        Dataset<Row> derived = SplitKeys.withHashes(
                FeatureTransforms.derive(
                        selected,
                        selection.features(),
                        unfitted,
                        task,
                        data.text(),
                        data.nulls() == io.trainyard.spec.data.NullPolicy.IMPUTE),
                selection,
                splitSpec.seed(),
                ordered);
        if (cache) {
            derived = derived.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            NullCensus census = NullCensus.take(derived, unfitted, data.nulls(), data.label());
            Dataset<Row> usable = census.apply(derived);
            timings.mark("read and check values");

            List<String> classes =
                    task == Task.CLASSIFICATION ? LabelInference.classes(usable, selection, data) : List.of();
            Dataset<Row> stratifiedFrame =
                    usable.withColumn(SplitAssigner.STRATUM, SplitKeys.stratum(stratified, selection));
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
            Map<String, SplitCounts> strata = SplitKeys.strata(
                    assignment, stratified && selection.keyExpressions().isEmpty(), task);
            timings.mark("split");
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
}
