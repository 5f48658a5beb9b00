package io.trainyard.family;

import io.trainyard.data.PreparedData;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.evaluate.Baselines;
import io.trainyard.evaluate.BinaryCurves;
import io.trainyard.evaluate.Evaluator;
import io.trainyard.evaluate.Metrics;
import io.trainyard.evaluate.TestSample;
import io.trainyard.gan.GanEpoch;
import io.trainyard.gan.GanEvaluation;
import io.trainyard.gan.GanResult;
import io.trainyard.report.RunReport;
import io.trainyard.report.RunReport.EpochChart;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.data.Task;
import io.trainyard.train.EpochRecord;
import io.trainyard.train.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Writes a run's {@code report.html} beside its {@code metrics.json}: the figures of its kind of model, computed from
 * the kept model and the test split it was evaluated on once (the pictures add no second look that could choose
 * anything).
 */
final class RunReports {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunReports.class);

    private RunReports() {}

    /**
     * Writes the page {@code page} draws. The page is an extra: when drawing it fails, the run is still published and
     * the log says why.
     */
    static void write(RunDirectory run, java.util.function.Supplier<String> page) {
        try {
            run.writeText(RunFiles.REPORT, page.get());
        } catch (RuntimeException e) {
            LOG.warn("no {}: drawing it failed", RunFiles.REPORT, e);
        }
    }

    /**
     * A network's run: learning curves, then what its task has (classes, a forecast, a regression, anomalies).
     *
     * @param threshold a binary model's decision threshold on the positive class's probability
     */
    static String network(
            RunDirectory run,
            PreparedData data,
            TrainingResult result,
            Evaluator.TestEvaluation tested,
            double threshold) {
        Metrics test = tested.metrics();
        AnomalyDetection.Evaluated anomaly = tested.anomaly();
        FeaturePlan plan = data.plan();
        MultiLayerNetwork network = result.network();
        RunReport report = RunReport.titled(
                "Run " + run.root().getFileName(),
                String.format(
                        "%s on %s; kept epoch %d of %d (%s). Test split: %s%s",
                        anomaly != null ? "autoencoder" : plan.task().name().toLowerCase(java.util.Locale.ROOT),
                        plan.label().isEmpty() ? "its features" : "label " + label(plan),
                        result.bestEpoch(),
                        result.history().size(),
                        result.stopReason(),
                        test.summary(),
                        baselines(tested.baselines())));
        report.learningCurves(learningCurves(result.history(), test), result.bestEpoch());
        if (anomaly != null) {
            report.reconstructionErrors(
                    anomaly.errors(),
                    anomaly.report().model().threshold(),
                    anomaly.report().model().score());
        } else if (plan.task() == Task.CLASSIFICATION) {
            report.confusion(test);
            if (plan.classes().size() == 2) {
                report.binaryCurves(BinaryCurves.of(tested.positiveScores()), test, threshold);
            }
        } else {
            TestSample sample = tested.sample();
            // A level-free forecast's network sees changes from each window's last value; so does its sample.
            String label = plan.windows() != null && plan.windows().levelFree()
                    ? label(plan) + " (change from the window's last value)"
                    : label(plan);
            if (plan.windows() != null) {
                report.forecasts(TestSample.first(sample, 150), label);
            }
            report.residuals(sample, label);
        }
        return report.html();
    }

    /** A forecast's naive baselines and MASE, as a sentence; empty for other models. */
    private static String baselines(Baselines b) {
        if (b == null) {
            return "";
        }
        return String.format(
                java.util.Locale.ROOT,
                ". MASE %.3f; repeating the last value has mae %.4f%s",
                b.mase(),
                b.repeatLastValueMae(),
                b.seasonalNaiveMae() == null
                        ? ""
                        : String.format(java.util.Locale.ROOT, ", last season's change %.4f", b.seasonalNaiveMae()));
    }

    /** The label as the spec names it: a forecast's is the column whose future it predicts, not the window's. */
    private static String label(FeaturePlan plan) {
        return FeatureSelector.unquoted(
                plan.windows() != null && plan.windows().target() >= 0
                        ? plan.windows().inputs().get(plan.windows().target())
                        : plan.label());
    }

    /** Loss of both splits, and the validation metrics of the task, by epoch. */
    private static List<EpochChart> learningCurves(List<EpochRecord> history, Metrics test) {
        List<EpochChart> charts = new ArrayList<>();
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("train", values(history, EpochRecord::trainLoss));
        loss.put("validation", values(history, r -> r.validation().loss()));
        charts.add(new EpochChart("learning-loss", "loss by epoch", "loss", loss));
        Map<String, double[]> metrics = new LinkedHashMap<>();
        if (test.accuracy() != null) {
            metrics.put("accuracy", values(history, r -> r.validation().accuracy()));
            metrics.put("macro-F1", values(history, r -> r.validation().macroF1()));
            if (test.auc() != null) {
                metrics.put("AUC", values(history, r -> r.validation().auc()));
            }
            charts.add(new EpochChart("learning-metric", "validation metrics by epoch", "", metrics));
        } else if (test.rmse() != null) {
            metrics.put("rmse", values(history, r -> r.validation().rmse()));
            charts.add(new EpochChart("learning-metric", "validation RMSE by epoch", "rmse", metrics));
        }
        return charts;
    }

    /** A GAN's run: both losses and the validation MMD by epoch, and generated rows over real test rows. */
    static String gan(
            RunDirectory run,
            FeaturePlan plan,
            GanResult result,
            GanEvaluation evaluation,
            MultiLayerNetwork generator,
            double testMmd,
            long seed) {
        List<GanEpoch> history = result.last().history();
        RunReport report = RunReport.titled(
                "Run " + run.root().getFileName(),
                String.format(
                        "GAN; kept epoch %d of %d (%s). Test split: mmd^2 %.5f",
                        result.bestEpoch(), history.size(), result.stopReason(), testMmd));
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put(
                "discriminator",
                history.stream().mapToDouble(GanEpoch::discriminatorLoss).toArray());
        loss.put(
                "generator",
                history.stream().mapToDouble(GanEpoch::generatorLoss).toArray());
        Map<String, double[]> mmd = Map.of(
                "validation",
                history.stream().mapToDouble(GanEpoch::validationMmd).toArray());
        report.learningCurves(
                List.of(
                        new EpochChart("learning-loss", "losses by epoch", "loss", loss),
                        new EpochChart("learning-metric", "validation mmd^2 by epoch", "mmd^2", mmd)),
                result.bestEpoch());
        double[][] real = evaluation.testSample(RunReport.SAMPLE_ROWS);
        double[][] generated = GanEvaluation.sample(generator, real.length, seed);
        // The first two numeric inputs; a GAN has at least one (the spec check refuses none).
        List<ModelInput> inputs = plan.scalarInputs();
        ModelInput x = inputs.get(0);
        ModelInput y = inputs.get(Math.min(1, inputs.size() - 1));
        report.generated(real, generated, x.offset(), y.offset(), x.name(), y.name());
        return report.html();
    }

    private static double[] values(List<EpochRecord> history, ToDoubleFunction<EpochRecord> value) {
        return history.stream().mapToDouble(value).toArray();
    }
}
