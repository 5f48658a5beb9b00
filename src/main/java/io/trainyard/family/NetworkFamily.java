package io.trainyard.family;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.PreparedData;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.evaluate.Baselines;
import io.trainyard.evaluate.Evaluator;
import io.trainyard.evaluate.Metrics;
import io.trainyard.evaluate.ThresholdChoice;
import io.trainyard.model.NetworkFactory;
import io.trainyard.model.NetworkSummary;
import io.trainyard.model.OutputHead;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import io.trainyard.spec.model.DecisionThreshold;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.train.DistributedTrainer;
import io.trainyard.train.EpochRecord;
import io.trainyard.train.TrainingMemory;
import io.trainyard.train.TrainingResult;
import io.trainyard.train.TrainingStart;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One network (MLP, CNN, RNN, autoencoder) trained by {@link DistributedTrainer}: tested once on the test split
 * (with a binary model's decision threshold chosen on validation, a forecast's last-value baseline, an autoencoder's
 * anomaly threshold), published as {@code model/}, {@code metrics.json} and {@code report.html}.
 */
public final class NetworkFamily implements ModelFamily<TrainingResult, NetworkFamily.Tested> {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkFamily.class);

    private final PreparedData data;

    NetworkFamily(PreparedData data) {
        this.data = data;
    }

    /** What the test split said of the kept network: its metrics, and the training that produced it. */
    public record Tested(TrainingResult training, Metrics test) {}

    private OutputHead head(JobSpec spec) {
        return OutputHead.of(data.plan(), spec.model());
    }

    /** The token ids a network over text embeds (0 without text). */
    static int tokenIds(io.trainyard.data.features.FeaturePlan plan) {
        return plan.text() == null ? 0 : plan.text().ids();
    }

    private MultiLayerConfiguration configuration(JobSpec spec) {
        return NetworkFactory.build(spec, data.plan().inputWidth(), tokenIds(data.plan()), head(spec));
    }

    @Override
    public String check(JavaSparkContext sc, JobSpec spec, int workers) {
        TrainingMemory.requireFits(
                sc, spec, workers, configuration(spec), data.plan().inputWidth());
        return NetworkSummary.describe(spec, data.plan().inputWidth(), head(spec));
    }

    @Override
    public Map<String, Long> seeds(JobSpec spec) {
        return Map.of();
    }

    @Override
    public TrainingResult train(JavaSparkContext sc, JobSpec spec, int workers) {
        long seed = Seeds.derive(spec.model().seed(), "training-master");
        return DistributedTrainer.train(sc, configuration(spec), data, spec.train(), workers, seed, new ProgressLine());
    }

    @Override
    public TrialOutcome trainTrial(Trial trial, JobSpec spec) {
        Optional<TrialCheckpoint.Loaded> previous = TrialCheckpoint.latestBefore(trial.dir(), trial.epochs());
        // The rung that wrote it is recorded in the ledger (rungs end before the next starts): older ones are dead.
        previous.ifPresent(p -> TrialCheckpoint.pruneBefore(trial.dir(), p.budget()));
        MultiLayerConfiguration conf = configuration(spec);
        TrainingMemory.requireFits(
                trial.sc(), spec, trial.workers(), conf, data.plan().inputWidth());
        TrainingStart from = previous.map(TrialCheckpoint.Loaded::start).orElseGet(() -> TrainingStart.fresh(conf));
        TrainingResult result = DistributedTrainer.train(
                trial.sc(),
                from,
                trial.batches(),
                spec.train(),
                trial.workers(),
                trial.threadsPerWorker(),
                Seeds.derive(spec.model().seed(), "training-master"),
                (record, epochs) -> {
                    trial.epochEnded().ended(record.epoch(), record.validation().value(trial.metric()));
                    LOG.debug(
                            "{} epoch {}/{}: val {}",
                            trial.name(),
                            record.epoch(),
                            epochs,
                            record.validation().summary());
                });
        double seconds = trial.seconds(previous.map(p -> p.meta().seconds()).orElse(0.0));
        TrialCheckpoint.save(trial.dir(), trial.epochs(), result, seconds);
        return TrialOutcome.succeeded(
                result.bestValidation().value(trial.metric()),
                result.history().stream()
                        .map(EpochRecord::validation)
                        .map(m -> m.value(trial.metric()))
                        .toList(),
                seconds);
    }

    @Override
    public TrainingResult loadTrial(JobSpec spec, Path trialDir, int epochs) {
        return TrialCheckpoint.load(trialDir, epochs).result();
    }

    @Override
    public Published<Tested> publish(
            SparkSession spark,
            RunDirectory run,
            JobSpec spec,
            RunProvenance provenance,
            TrainingResult result,
            long startNanos) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        OutputHead head = head(spec);
        DecisionThreshold threshold = spec.model().threshold();
        ThresholdChoice decision = data.plan().classes().size() == 2
                ? ThresholdChoice.make(sc, result.network(), result.bestValidation(), data, threshold)
                : null;
        double decided = decision == null ? DecisionThreshold.DEFAULT.value() : decision.value();
        // The one look at the test split: the metrics, the baselines, anomaly detection and the report's pictures
        // all come from the same pass.
        Evaluator.TestEvaluation tested = Evaluator.test(sc, result.network(), data, decided, head.loss());
        Metrics test = tested.metrics();
        LOG.info("test (epoch {} model, evaluated once): {}", result.bestEpoch(), test.summary());
        Baselines baselines = tested.baselines();
        if (baselines != null) {
            LOG.info(String.format(
                    "test: mae %.4f, mase %.3f; repeating the last value has mae %.4f%s",
                    test.mae(),
                    baselines.mase(),
                    baselines.repeatLastValueMae(),
                    baselines.seasonalNaiveMae() == null
                            ? ""
                            : String.format(", last season's change %.4f", baselines.seasonalNaiveMae())));
        }
        AnomalyDetection.Report anomaly =
                tested.anomaly() == null ? null : tested.anomaly().report();
        if (anomaly != null) {
            LOG.info(String.format(
                    "anomaly threshold %.5f (percentile %.1f of %d validation rows' %s)%s",
                    anomaly.model().threshold(),
                    anomaly.model().percentile(),
                    anomaly.validationRows(),
                    anomaly.model().score(),
                    anomaly.test() == null
                            ? ""
                            : String.format(
                                    "; test: roc auc %.4f, %d flagged, precision %.3f, recall %.3f",
                                    anomaly.test().auc(),
                                    anomaly.test().flagged(),
                                    anomaly.test().precision(),
                                    anomaly.test().recall())));
        }
        ModelArtifact.publish(
                run,
                RunFiles.MODEL,
                result.network(),
                data.plan(),
                data.normalizer(),
                head.activation().name().toLowerCase(Locale.ROOT),
                head.loss().name().toLowerCase(Locale.ROOT),
                anomaly == null ? null : anomaly.model(),
                decision == null ? null : decision.value(),
                provenance);
        NetworkMetrics metrics = new NetworkMetrics(
                result.bestEpoch(),
                result.stopReason(),
                result.bestValidation(),
                decision,
                test,
                baselines,
                anomaly,
                result.history(),
                result.history().stream()
                        .mapToDouble(EpochRecord::examplesPerSecond)
                        .average()
                        .orElse(0),
                (System.nanoTime() - startNanos) / 1e9);
        run.writeJson(RunFiles.METRICS, metrics);
        RunReports.write(run, () -> RunReports.network(run, data, result, tested, decided));
        run.markSuccess();
        return new Published<>(run.root(), metrics, new Tested(result, test));
    }

    /** Console progress: one line per epoch. */
    static final class ProgressLine implements DistributedTrainer.EpochListener {
        private double elapsed;

        @Override
        public void onEpoch(EpochRecord r, int epochs) {
            elapsed += r.seconds();
            double eta = elapsed / r.epoch() * (epochs - r.epoch());
            LOG.info(String.format(
                    "epoch %d/%d  lr %.3g  train loss %.4f  val %s  %,.0f ex/s  elapsed %.1fs  eta %.0fs",
                    r.epoch(),
                    epochs,
                    r.learningRate(),
                    r.trainLoss(),
                    r.validation().summary(),
                    r.examplesPerSecond(),
                    elapsed,
                    eta));
        }
    }
}
