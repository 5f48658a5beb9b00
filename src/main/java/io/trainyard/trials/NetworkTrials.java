package io.trainyard.trials;

import io.trainyard.model.NetworkFactory;
import io.trainyard.model.OutputHead;
import io.trainyard.run.RunDirectory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.train.StoppingMetric;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import io.trainyard.train.DistributedTrainer;
import io.trainyard.train.EpochRecord;
import io.trainyard.train.TrainingMemory;
import io.trainyard.train.TrainingResult;
import io.trainyard.train.TrainingStart;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sweep trials of one network (MLP, CNN, RNN, autoencoder), trained by {@link DistributedTrainer}. */
final class NetworkTrials extends SparkTrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkTrials.class);

    NetworkTrials(Sweep shared) {
        super(shared);
    }

    @Override
    TrialOutcome train(TrialPlan plan, JobSpec spec, Path dir, long startNanos) {
        Optional<TrialCheckpoint.Loaded> previous = TrialCheckpoint.latestBefore(dir, plan.epochs());
        // The rung that wrote it is recorded in the ledger (rungs end before the next starts): older ones are dead.
        previous.ifPresent(p -> TrialCheckpoint.pruneBefore(dir, p.budget()));
        OutputHead head = OutputHead.of(data.plan(), spec.model());
        var conf = NetworkFactory.build(spec, data.plan().inputWidth(), head);
        TrainingMemory.requireFits(
                sc, spec, sweep.workersPerTrial(), conf, data.plan().inputWidth());
        TrainingStart from = previous.map(TrialCheckpoint.Loaded::start).orElseGet(() -> TrainingStart.fresh(conf));
        StoppingMetric metric = sweep.metric();
        TrainingResult result = DistributedTrainer.train(
                sc,
                from,
                batches.forBatchSize(spec.train().batchSize()),
                spec.train(),
                sweep.workersPerTrial(),
                threadsPerWorker,
                Seeds.derive(spec.model().seed(), "training-master"),
                (record, epochs) -> {
                    epochEnded(plan, record.epoch(), record.validation().value(metric));
                    LOG.debug(
                            "{} epoch {}/{}: val {}",
                            plan.name(),
                            record.epoch(),
                            epochs,
                            record.validation().summary());
                });
        double seconds =
                seconds(startNanos, previous.map(p -> p.meta().seconds()).orElse(0.0));
        TrialCheckpoint.save(dir, plan.epochs(), result, seconds);
        return new TrialOutcome(
                TrialOutcome.Status.SUCCEEDED,
                result.bestValidation().value(metric),
                result.history().stream()
                        .map(EpochRecord::validation)
                        .map(m -> m.value(metric))
                        .toList(),
                result.history().size(),
                seconds,
                null);
    }

    @Override
    public String publish(
            SparkSession spark, RunDirectory best, TrialPlan plan, long startNanos, BestTrialPublisher publisher) {
        JobSpec trial = spec(plan);
        OutputHead head = OutputHead.of(data.plan(), trial.model());
        TrainingResult result =
                TrialCheckpoint.load(directory(plan.id()), plan.epochs()).result();
        return publisher.network(sc, best, data, head, trial.model().threshold(), result, startNanos);
    }
}
