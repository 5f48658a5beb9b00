package io.trainyard.family;

import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.PreparedData;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.model.ModelType;
import io.trainyard.sweep.TrialOutcome;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A kind of model above the training loop, the way {@code WorkerStep} is one below it: how a run or a sweep trial of
 * it is built, trained, checkpointed, tested once and published. One instance serves one prepared data set (a train
 * run's, or every trial of a sweep).
 *
 * @param <T> what training yields: the kept state a trial's checkpoint holds and the test measures
 * @param <R> the test's result, typed, as the family publishes it
 */
public interface ModelFamily<T, R> {
    /** The spec's family, on the data prepared for it: the one place the model type is tested. */
    static ModelFamily<?, ?> of(JobSpec base, PreparedData data) {
        return base.model().type() == ModelType.GAN ? GanFamily.of(base, data) : new NetworkFamily(data);
    }

    /**
     * Builds the spec's networks for the data and refuses them before any work when training them on
     * {@code workers} workers cannot fit in memory; returns a line describing them for the log.
     */
    String check(JavaSparkContext sc, JobSpec spec, int workers);

    /** Seeds the family derives from {@code model.seed} beyond the training master's, for {@code run.json}. */
    Map<String, Long> seeds(JobSpec spec);

    /** Trains a run from the spec's initial weights, one progress line per epoch. */
    T train(JavaSparkContext sc, JobSpec spec, int workers);

    /**
     * Trains a sweep trial up to {@code trial.epochs()}, continuing from its latest earlier checkpoint when it has
     * one, and checkpoints the rung.
     */
    TrialOutcome trainTrial(Trial trial, JobSpec spec);

    /** What a trial's checkpoint after {@code epochs} holds. */
    T loadTrial(JobSpec spec, Path trialDir, int epochs);

    /**
     * Tests the kept state once on the test split, publishes the model, {@code metrics.json}, {@code report.html}
     * and the family's own outputs into {@code run} ({@code run.json} and {@code data/} are written already), and
     * marks the run a success.
     *
     * @param provenance the run's {@code run.json}, which its model carries too
     * @param startNanos when the run began ({@link System#nanoTime()}), for its wall time
     */
    Published<R> publish(
            SparkSession spark, RunDirectory run, JobSpec spec, RunProvenance provenance, T trained, long startNanos);

    /** Trains a run and publishes it: {@link #train} then {@link #publish}, with the family's own types. */
    default Published<R> trainAndPublish(
            SparkSession spark,
            RunDirectory run,
            JobSpec spec,
            RunProvenance provenance,
            int workers,
            long startNanos) {
        T trained = train(JavaSparkContext.fromSparkContext(spark.sparkContext()), spec, workers);
        return publish(spark, run, spec, provenance, trained, startNanos);
    }

    /** Loads a sweep trial's checkpoint and publishes it as {@link #publish} does. */
    default Published<R> publishTrial(
            SparkSession spark,
            RunDirectory run,
            JobSpec spec,
            RunProvenance provenance,
            Path trialDir,
            int epochs,
            long startNanos) {
        return publish(spark, run, spec, provenance, loadTrial(spec, trialDir, epochs), startNanos);
    }
}
