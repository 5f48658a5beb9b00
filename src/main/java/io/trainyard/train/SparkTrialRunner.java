package io.trainyard.train;

import io.trainyard.data.PreparedData;
import io.trainyard.model.NetworkFactory;
import io.trainyard.model.OutputHead;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.StoppingMetric;
import io.trainyard.sweep.Ledger;
import io.trainyard.sweep.LedgerEvent;
import io.trainyard.sweep.SweepSpec;
import io.trainyard.sweep.SweepSpecs;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import io.trainyard.sweep.TrialRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one trial on Spark, on the sweep's prepared data: from scratch at its first rung, from its previous rung's
 * checkpoint after a promotion. Each trial's jobs run in a scheduler pool and job group named after it (the Spark UI
 * shows which trial a job belongs to, the fair scheduler shares the executors between trials, and the group can be
 * cancelled). Called from several threads at once: it keeps no per-trial state.
 */
final class SparkTrialRunner implements TrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrialRunner.class);
    private final JavaSparkContext sc;
    private final JobSpec base;
    private final TrainingBatches batches;
    private final PreparedData data;
    private final RunDirectory run;
    private final StoppingMetric metric;
    private final int workers;
    private final int threadsPerWorker;
    private final Ledger ledger;

    SparkTrialRunner(JavaSparkContext sc, JobSpec base, PreparedData data, TrainingBatches batches, RunDirectory run,
                     SweepSpec sweep, int threadsPerWorker, Ledger ledger) {
        this.sc = sc;
        this.base = base;
        this.data = data;
        this.batches = batches;
        this.run = run;
        this.metric = sweep.metric();
        this.workers = sweep.workersPerTrial();
        this.threadsPerWorker = threadsPerWorker;
        this.ledger = ledger;
    }

    /** The trial's spec: the base spec with its values, trained for its rung's epochs unless it sweeps them. */
    JobSpec spec(TrialPlan plan) {
        Map<String, Object> values = new LinkedHashMap<>(plan.params());
        values.putIfAbsent("train.epochs", plan.epochs());
        return SweepSpecs.trialSpec(base, values);
    }

    /** {@code trials/trial-NNNN} of the run directory. */
    Path directory(int trial) {
        return run.resolve(SweepJob.TRIALS + "/" + TrialPlan.name(trial));
    }

    @Override
    public TrialOutcome run(TrialPlan plan) {
        long start = System.nanoTime();
        JobSpec spec = spec(plan);
        Path dir = directory(plan.id());
        sc.setJobGroup(plan.name(), "sweep " + plan.name() + " up to " + spec.train().epochs() + " epochs", true);
        sc.setLocalProperty("spark.scheduler.pool", plan.name());
        try {
            Optional<TrialCheckpoint.Loaded> previous = TrialCheckpoint.latestBefore(dir, plan.epochs());
            // The rung that wrote it is recorded in the ledger (rungs end before the next starts): older ones are dead.
            previous.ifPresent(p -> TrialCheckpoint.pruneBefore(dir, p.budget()));
            OutputHead head = OutputHead.of(data.plan(), spec.model());
            TrainingStart from = previous.map(TrialCheckpoint.Loaded::start).orElseGet(() ->
                    TrainingStart.fresh(NetworkFactory.build(spec, data.plan().inputWidth(), head)));
            double earlierSeconds = previous.map(p -> p.meta().seconds()).orElse(0.0);
            TrainingResult result = DistributedTrainer.train(sc, from, batches.forBatchSize(spec.train().batchSize()),
                    spec.train(), workers, threadsPerWorker, Seeds.derive(spec.model().seed(), "training-master"),
                    (record, epochs) -> {
                        ledger.append(LedgerEvent.epoch(plan, record.epoch(), record.validation().value(metric)));
                        LOG.debug("{} epoch {}/{}: val {}", plan.name(), record.epoch(), epochs,
                                record.validation().summary());
                    });
            double seconds = earlierSeconds + (System.nanoTime() - start) / 1e9;
            TrialCheckpoint.save(dir, plan.epochs(), result, seconds);
            return new TrialOutcome(TrialOutcome.Status.SUCCEEDED, result.bestValidation().value(metric),
                    result.history().stream().map(EpochRecord::validation).map(m -> m.value(metric)).toList(),
                    result.history().size(), seconds, null);
        } catch (TrainingDivergedException e) {
            return TrialOutcome.failed(TrialOutcome.Status.DIVERGED, e.getMessage(), (System.nanoTime() - start) / 1e9);
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty("spark.scheduler.pool", null);
        }
    }

    /** The best trial's training result, from its last checkpoint. */
    TrainingResult result(int trial, int epochs) {
        return TrialCheckpoint.load(directory(trial), epochs).result();
    }
}
