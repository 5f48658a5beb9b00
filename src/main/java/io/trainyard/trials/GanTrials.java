package io.trainyard.trials;

import io.trainyard.gan.GanEpoch;
import io.trainyard.gan.GanEvaluation;
import io.trainyard.gan.GanResult;
import io.trainyard.gan.GanState;
import io.trainyard.gan.GanTrainer;
import io.trainyard.model.GanFactory;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import io.trainyard.train.TrainingMemory;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweep trials of a GAN: both networks trained by {@link GanTrainer}, ranked by the validation MMD, every trial
 * measured against the same validation and test rows.
 */
final class GanTrials extends SparkTrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(GanTrials.class);
    private final GanEvaluation evaluation;

    GanTrials(Sweep shared) {
        super(shared);
        GanTrainer.requireNumeric(data.plan());
        this.evaluation = GanEvaluation.of(data, base);
    }

    @Override
    TrialOutcome train(TrialPlan plan, JobSpec spec, Path dir, long startNanos) {
        Optional<GanCheckpoint.Loaded> previous = GanCheckpoint.latestBefore(dir, plan.epochs());
        previous.ifPresent(p -> TrialCheckpoint.pruneBefore(dir, p.budget()));
        GanFactory.Gan gan = GanFactory.build(spec, data.plan().inputWidth());
        TrainingMemory.requireFits(
                sc, spec, sweep.workersPerTrial(), gan, data.plan().inputWidth());
        GanState from = previous.map(p -> p.result().last()).orElseGet(() -> GanState.fresh(gan));
        GanResult result = GanTrainer.train(
                sc,
                gan,
                from,
                batches.forBatchSize(spec.train().batchSize()),
                spec,
                sweep.workersPerTrial(),
                threadsPerWorker,
                evaluation,
                e -> {
                    epochEnded(plan, e.epoch(), e.validationMmd());
                    LOG.debug("{} {}", plan.name(), e.describe(spec.train().epochs()));
                });
        double seconds =
                seconds(startNanos, previous.map(GanCheckpoint.Loaded::seconds).orElse(0.0));
        GanCheckpoint.save(dir, plan.epochs(), result, seconds);
        return new TrialOutcome(
                TrialOutcome.Status.SUCCEEDED,
                result.bestValidationMmd(),
                result.last().history().stream().map(GanEpoch::validationMmd).toList(),
                result.last().history().size(),
                seconds,
                null);
    }

    @Override
    public String publish(
            SparkSession spark, RunDirectory best, TrialPlan plan, long startNanos, BestTrialPublisher publisher) {
        JobSpec spec = spec(plan);
        GanFactory.Gan gan = GanFactory.build(spec, data.plan().inputWidth());
        GanResult result =
                GanCheckpoint.load(directory(plan.id()), plan.epochs()).result();
        return publisher.gan(spark, best, data, spec, gan, evaluation, result, startNanos);
    }
}
