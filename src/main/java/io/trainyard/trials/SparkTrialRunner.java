package io.trainyard.trials;

import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.PreparedData;
import io.trainyard.family.ModelFamily;
import io.trainyard.family.Published;
import io.trainyard.family.Trial;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.sweep.Ledger;
import io.trainyard.sweep.LedgerEvent;
import io.trainyard.sweep.SweepSpec;
import io.trainyard.sweep.SweepSpecs;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import io.trainyard.sweep.TrialRunner;
import io.trainyard.train.TrainingDivergedException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Trains a sweep's trials on Spark, on the sweep's prepared data: from scratch at a trial's first rung, from its
 * previous rung's checkpoint after a promotion; and publishes the best one. Each trial's jobs run in a scheduler pool
 * and job group named after it (the Spark UI shows which trial a job belongs to, the fair scheduler shares the
 * executors between trials, and the group can be cancelled). Called from several threads at once: it keeps no
 * per-trial state. How a trial trains, checkpoints and publishes is the spec's {@link ModelFamily}'s.
 */
public final class SparkTrialRunner implements TrialRunner {
    /** The run directory's folder of trial checkpoints and the ledger. */
    private final JavaSparkContext sc;

    private final JobSpec base;
    private final TrainingBatches batches;
    private final SweepSpec sweep;
    private final int threadsPerWorker;
    private final RunDirectory run;
    private final Ledger ledger;
    private final ModelFamily<?, ?> family;

    /**
     * What every trial of a sweep shares: the Spark context, the base spec, the prepared data (re-batched per swept
     * batch size), the sweep's run directory and ledger, and the ND4J threads each worker may use.
     */
    public record Sweep(
            JavaSparkContext sc,
            JobSpec base,
            PreparedData data,
            TrainingBatches batches,
            RunDirectory run,
            SweepSpec spec,
            int threadsPerWorker,
            Ledger ledger) {}

    public SparkTrialRunner(Sweep shared) {
        this.sc = shared.sc();
        this.base = shared.base();
        this.family = ModelFamily.of(shared.base(), shared.data());
        this.batches = shared.batches();
        this.run = shared.run();
        this.sweep = shared.spec();
        this.threadsPerWorker = shared.threadsPerWorker();
        this.ledger = shared.ledger();
    }

    /** The trial's spec: the base spec with its values, trained for its rung's epochs unless it sweeps them. */
    public JobSpec spec(TrialPlan plan) {
        Map<String, Object> values = new LinkedHashMap<>(plan.params());
        values.putIfAbsent("train.epochs", plan.epochs());
        return SweepSpecs.trialSpec(base, values);
    }

    /** {@code trials/trial-NNNN} of the run directory. */
    Path directory(int trial) {
        return run.resolve(RunFiles.TRIALS + "/" + TrialPlan.name(trial));
    }

    @Override
    public final TrialOutcome run(TrialPlan plan) {
        long start = System.nanoTime();
        JobSpec spec = spec(plan);
        sc.setJobGroup(
                plan.name(), "sweep " + plan.name() + " up to " + spec.train().epochs() + " epochs", true);
        sc.setLocalProperty("spark.scheduler.pool", plan.name());
        try {
            return family.trainTrial(
                    new Trial(
                            sc,
                            plan.name(),
                            batches.forBatchSize(spec.train().batchSize()),
                            directory(plan.id()),
                            plan.epochs(),
                            sweep.workersPerTrial(),
                            threadsPerWorker,
                            sweep.metric(),
                            (epoch, value) -> ledger.append(LedgerEvent.epoch(plan, epoch, value)),
                            start),
                    spec);
        } catch (TrainingDivergedException e) {
            return TrialOutcome.failed(TrialOutcome.Status.DIVERGED, e.getMessage(), (System.nanoTime() - start) / 1e9);
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty("spark.scheduler.pool", null);
        }
    }

    /**
     * Tests the trial once and publishes it into {@code best} in a train run's layout ({@code run.json} and
     * {@code data/} are written already), as its family publishes a train run.
     */
    public Published<?> publish(
            SparkSession spark, RunDirectory best, TrialPlan plan, RunProvenance provenance, long startNanos) {
        return family.publishTrial(
                spark, best, spec(plan), provenance, directory(plan.id()), plan.epochs(), startNanos);
    }

    /** Seeds the spec's family derives, for a published trial's {@code run.json}. */
    public Map<String, Long> familySeeds(JobSpec spec) {
        return family.seeds(spec);
    }
}
