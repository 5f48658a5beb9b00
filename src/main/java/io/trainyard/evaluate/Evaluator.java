package io.trainyard.evaluate;

import io.trainyard.data.MinibatchEncoder;
import io.trainyard.data.PreparedData;
import io.trainyard.data.Reconstruction;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.TargetScale;
import io.trainyard.model.NetworkSummary;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.model.DecisionThreshold;
import io.trainyard.spec.model.Loss;
import io.trainyard.train.step.DenseScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Evaluates a network on a split's minibatches on the executors ({@link SplitPass}) or on ones the driver holds. */
public final class Evaluator {
    /** Rows per forward pass when the driver evaluates minibatches it holds. */
    private static final int EVAL_BATCH = 1024;

    private Evaluator() {}

    /** The metrics of a split, evaluated on the executors in one pass. */
    public static Metrics evaluate(
            JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> data, FeaturePlan plan) {
        return evaluate(sc, network, data, plan, DecisionThreshold.DEFAULT.value());
    }

    /**
     * As {@link #evaluate(JavaSparkContext, MultiLayerNetwork, JavaRDD, FeaturePlan)}, a binary model's rows called
     * positive when the positive class's probability is above {@code threshold}.
     */
    public static Metrics evaluate(
            JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> data, FeaturePlan plan, double threshold) {
        IEvaluation<?>[] evaluations = evaluations(network, plan, threshold);
        SplitPass pass = SplitPass.run(sc, network, data, evaluations, SplitPass.Collect.metrics(plan));
        return metrics(plan, pass.loss(), pass.evaluations());
    }

    /**
     * The test split's one evaluation, from one pass over it: its metrics, and what the run's report and console draw
     * beside them from the same outputs.
     *
     * @param positiveScores a binary model's positive-class scores (ROC and precision-recall curves); null otherwise
     * @param sample         a regression's first rows, predicted beside the actual values; null otherwise
     * @param baselines      a forecast of its own history: the naive forecasts' errors and MASE; null otherwise
     * @param anomaly        an autoencoder's threshold and detection; null otherwise
     */
    public record TestEvaluation(
            Metrics metrics,
            PositiveScores positiveScores,
            TestSample sample,
            Baselines baselines,
            AnomalyDetection.Evaluated anomaly) {}

    /**
     * Tests the kept {@code network} on {@code data}'s test split, a binary model's rows called positive above
     * {@code threshold}; an autoencoder's errors take the form of {@code loss}.
     */
    public static TestEvaluation test(
            JavaSparkContext sc, MultiLayerNetwork network, PreparedData data, double threshold, Loss loss) {
        FeaturePlan plan = data.plan();
        Reconstruction rec = data.reconstruction();
        boolean binary = plan.task() == Task.CLASSIFICATION && plan.classes().size() == 2;
        IEvaluation<?>[] evaluations = evaluations(network, plan, threshold);
        if (binary) {
            evaluations = Arrays.copyOf(evaluations, evaluations.length + 1);
            evaluations[evaluations.length - 1] = new PositiveScores();
        }
        boolean regression = plan.task() == Task.REGRESSION && rec == null;
        ForecastBaseline naive = rec == null ? ForecastBaseline.of(plan, data.normalizer()) : null;
        SpreadUnits spread = SpreadUnits.of(plan, data.normalizer());
        SplitPass.Collect collect = new SplitPass.Collect(
                regression ? TestSample.ROWS : 0,
                naive,
                rec == null ? null : new SplitPass.Reconstructed(loss, rec.normalClass()),
                spread);
        SplitPass pass =
                SplitPass.run(sc, network, rec == null ? data.test() : rec.labelledTest(), evaluations, collect);
        IEvaluation<?>[] done = pass.evaluations();
        Metrics metrics = metrics(plan, pass.loss(), done);
        Baselines baselines = null;
        if (naive != null && pass.naiveMae() != null) {
            double train = naive.naiveMae(data.train(), spread);
            baselines = new Baselines(pass.naiveMae(), pass.seasonalNaiveMae(naive), train, metrics.mae() / train);
        }
        return new TestEvaluation(
                metrics,
                binary ? (PositiveScores) done[done.length - 1] : null,
                regression
                        ? TestSample.of(pass.actual(), pass.predicted(), pass.inputs(), plan, data.normalizer())
                        : null,
                baselines,
                rec == null
                        ? null
                        : AnomalyDetection.evaluate(sc, network, rec, loss, pass.errors(), pass.anomalous()));
    }

    /**
     * The same metrics from minibatches held in this JVM (a small split the driver keeps): no Spark job. The loss is
     * each {@value #EVAL_BATCH}-row batch's score (regularisation included) weighted by its rows, as on Spark. A
     * dense network scores each batch in one pass ({@link DenseScorer}); others through DL4J.
     */
    public static Metrics evaluate(MultiLayerNetwork network, List<DataSet> data, FeaturePlan plan, double threshold) {
        IEvaluation<?>[] evaluations = evaluations(network, plan, threshold);
        DenseScorer dense = DenseScorer.of(network);
        SpreadUnits spread = SpreadUnits.of(plan, null);
        double sum = 0;
        long rows = 0;
        // A spread-free forecast's minibatches are scored as they are: their spreads are per minibatch row.
        Iterator<DataSet> batches =
                spread == null ? new IteratorDataSetIterator(data.iterator(), EVAL_BATCH) : data.iterator();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            DenseScorer.Scored scored = DenseScorer.score(dense, network, batch);
            sum += scored.loss() * batch.numExamples();
            INDArray labels = batch.getLabels();
            INDArray output = scored.output();
            double[] spreads = spread == null ? null : MinibatchEncoder.spreads(batch);
            if (spreads != null) {
                labels = spread.targets(labels, spreads);
                output = spread.targets(output, spreads);
            }
            for (IEvaluation<?> e : evaluations) {
                e.eval(labels, output, batch.getLabelsMaskArray());
            }
            rows += batch.numExamples();
        }
        return metrics(plan, sum / rows, evaluations);
    }

    /** What a task's metrics are counted by: regression sums, or a confusion matrix (and the exact AUC of two classes). */
    private static IEvaluation<?>[] evaluations(MultiLayerNetwork network, FeaturePlan plan, double threshold) {
        List<String> classes = plan.classes();
        if (plan.task() == Task.REGRESSION) {
            // Several targets (a forecast's horizon) report the mean over targets of each metric.
            return new IEvaluation<?>[] {new RegressionEvaluation(NetworkSummary.outputWidth(network))};
        }
        return classes.size() == 2
                ? new IEvaluation<?>[] {new Evaluation(threshold, 1), new ExactAuc()}
                : new IEvaluation<?>[] {new Evaluation(new ArrayList<>(classes))};
    }

    private static Metrics metrics(FeaturePlan plan, double loss, IEvaluation<?>[] done) {
        if (plan.task() == Task.REGRESSION) {
            return inOriginalUnits(fromRegression((RegressionEvaluation) done[0], loss), plan.target());
        }
        List<String> classes = plan.classes();
        Double auc = classes.size() == 2 ? ((ExactAuc) done[1]).auc() : null;
        return fromEvaluation((Evaluation) done[0], loss, auc, classes);
    }

    /** A binary model's positive-class probabilities on a split, binned by class ({@link PositiveScores}). */
    public static PositiveScores positiveScores(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> data) {
        IEvaluation<?>[] scores = {new PositiveScores()};
        return (PositiveScores) SplitPass.run(sc, network, data, scores, SplitPass.Collect.NOTHING)
                .evaluations()[0];
    }

    /**
     * MSE, MAE, RMSE and R^2 from the evaluation's per-target sums (the mean over targets of each), R^2 against the
     * labels' own mean. DL4J's R^2 is not used: its merge of the executors' evaluations leaves the labels' sum out, so
     * the merged R^2 is taken around a wrong mean (for prices around 1,000 it read 0.997 for a model whose R^2 is
     * 0.69, RMSE 56 on a spread of 100).
     */
    static Metrics fromRegression(RegressionEvaluation r, double loss) {
        int targets = (int) r.getExampleCountPerColumn().length();
        double mse = 0;
        double mae = 0;
        double rmse = 0;
        double r2 = 0;
        for (int c = 0; c < targets; c++) {
            double n = r.getExampleCountPerColumn().getDouble(c);
            double sse = r.getSumSquaredErrorsPerColumn().getDouble(c);
            // getSumLabels() is not merged across partitions (DL4J M2's merge leaves it out); this sum is.
            double sum = r.getLabelsSumPerColumn().getDouble(c);
            double total = r.getSumSquaredLabels().getDouble(c) - sum * sum / n;
            mse += sse / n / targets;
            mae += r.getSumAbsErrorsPerColumn().getDouble(c) / n / targets;
            rmse += Math.sqrt(sse / n) / targets;
            r2 += (total > 0 ? 1 - sse / total : 0) / targets;
        }
        return Metrics.regression(r.getExampleCountPerColumn().getLong(0), loss, mse, mae, rmse, r2);
    }

    /**
     * Regression metrics of a standardised label in the label's own units: errors scale with the spread (squared for
     * MSE), R^2 does not change. Every target of a forecast shares the one scale, so the mean over targets converts
     * the same way. The loss stays the training loss, on the standardised label.
     */
    static Metrics inOriginalUnits(Metrics scaled, TargetScale target) {
        if (target == null) {
            return scaled;
        }
        double s = target.scale();
        return Metrics.regression(
                scaled.examples(),
                scaled.loss(),
                scaled.mse() * s * s,
                scaled.mae() * s,
                scaled.rmse() * s,
                scaled.r2());
    }

    // Kryo ships the evaluation back from executors: its class list must be a mutable ArrayList, not List.copyOf.
    static Metrics fromEvaluation(Evaluation e, double loss, Double auc, List<String> classes) {
        int k = classes.size();
        long[][] confusion = new long[k][k];
        long total = 0;
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                confusion[actual][predicted] = e.getConfusionMatrix().getCount(actual, predicted);
                total += confusion[actual][predicted];
            }
        }
        // Only DL4J's counts are used: its averages are not the textbook ones (see ConfusionMetrics).
        List<ClassMetrics> perClass = ConfusionMetrics.perClass(confusion, classes);
        return Metrics.classification(
                total,
                loss,
                ConfusionMetrics.accuracy(confusion),
                ConfusionMetrics.macroF1(perClass),
                auc,
                perClass,
                confusion);
    }
}
