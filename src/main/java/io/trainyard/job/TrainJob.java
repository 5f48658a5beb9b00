package io.trainyard.job;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.evaluate.Evaluator;
import io.trainyard.evaluate.ForecastBaseline;
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
import io.trainyard.train.DistributedTrainer;
import io.trainyard.train.EpochRecord;
import io.trainyard.train.TrainingMemory;
import io.trainyard.train.TrainingResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole training run: prepare the data, build the network, train with parameter averaging, evaluate the kept
 * model on the test split exactly once, and publish the run directory ({@code _SUCCESS} last).
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    /** What a finished run reports to its caller. */
    public record Outcome(Path runDirectory, TrainingResult training, Metrics test, double seconds) {}

    private TrainJob() {}

    public static Outcome run(SparkSession spark, JobSpec spec, Path out) {
        JobStart begun = JobStart.open(spark, spec, out);
        long start = begun.nanos();
        JavaSparkContext sc = begun.sc();
        int workers = begun.workers();
        RunDirectory run = begun.run();
        try (PreparedData data = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn())) {
            OutputHead head = OutputHead.of(data.plan(), spec.model());
            MultiLayerConfiguration conf =
                    NetworkFactory.build(spec, data.plan().inputWidth(), head);
            TrainingMemory.requireFits(sc, spec, workers, conf, data.plan().inputWidth());
            Provenance.record(run, spec, data, spark);
            begun.logTraining(
                    LOG, spec, NetworkSummary.describe(spec, data.plan().inputWidth(), head));
            long seed = Seeds.derive(spec.model().seed(), "training-master");
            TrainingResult result =
                    DistributedTrainer.train(sc, conf, data, spec.train(), workers, seed, new ProgressLine());
            return publish(sc, run, data, head, spec.model().threshold(), result, start);
        }
    }

    /**
     * Evaluates the kept model on the test split (the only time anything sees it), publishes the model and
     * {@code metrics.json}, and marks the run a success. The run's {@code run.json} and {@code data/} are written
     * before training.
     *
     * @param threshold  a binary model's decision threshold, fixed or to choose on the validation split
     * @param startNanos when the run began ({@link System#nanoTime()}), for its wall time
     */
    public static Outcome publish(
            JavaSparkContext sc,
            RunDirectory run,
            PreparedData data,
            OutputHead head,
            DecisionThreshold threshold,
            TrainingResult result,
            long startNanos) {
        ThresholdChoice decision = data.plan().classes().size() == 2
                ? ThresholdChoice.make(sc, result.network(), result.bestValidation(), data, threshold)
                : null;
        Metrics test = decision == null
                ? Evaluator.evaluate(sc, result.network(), data.test(), data.plan())
                : Evaluator.evaluate(sc, result.network(), data.test(), data.plan(), decision.value());
        LOG.info("test (epoch {} model, evaluated once): {}", result.bestEpoch(), test.summary());
        Double naive = ForecastBaseline.repeatLastValueMae(data.plan(), data.normalizer(), data.test());
        if (naive != null) {
            LOG.info(String.format(
                    "test: repeating the last value has mae %.4f; the model's is %.4f (%.1f%% lower)",
                    naive, test.mae(), 100 * (1 - test.mae() / naive)));
        }
        AnomalyDetection.Evaluated evaluated = data.reconstruction() == null
                ? null
                : AnomalyDetection.evaluate(sc, result.network(), data.reconstruction(), head.loss());
        AnomalyDetection.Report anomaly = evaluated == null ? null : evaluated.report();
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
                decision == null ? null : decision.value());
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        run.writeJson(RunFiles.METRICS, metricsDocument(result, decision, test, naive, anomaly, seconds));
        double decided = decision == null ? DecisionThreshold.DEFAULT.value() : decision.value();
        RunReports.write(run, () -> RunReports.network(sc, run, data, result, test, decided, evaluated));
        run.markSuccess();
        return new Outcome(run.root(), result, test, seconds);
    }

    private static Map<String, Object> metricsDocument(
            TrainingResult result,
            ThresholdChoice decision,
            Metrics test,
            Double naiveMae,
            AnomalyDetection.Report anomaly,
            double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("best_epoch", result.bestEpoch());
        doc.put("stop_reason", result.stopReason());
        doc.put("validation", result.bestValidation());
        if (decision != null) {
            doc.put("decision_threshold", decision);
        }
        doc.put("test", test);
        if (naiveMae != null) {
            doc.put("test_baseline", Map.of("repeat_last_value_mae", naiveMae));
        }
        if (anomaly != null) {
            doc.put("anomaly", anomaly);
        }
        doc.put("history", result.history());
        doc.put(
                "mean_examples_per_second",
                result.history().stream()
                        .mapToDouble(EpochRecord::examplesPerSecond)
                        .average()
                        .orElse(0));
        doc.put("seconds", seconds);
        return doc;
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
