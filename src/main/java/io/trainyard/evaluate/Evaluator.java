package io.trainyard.evaluate;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.TargetScale;
import io.trainyard.model.NetworkSummary;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.model.DecisionThreshold;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.dataset.DataSet;

/** Evaluates a network on a split's minibatches on the executors; only the evaluation objects come back. */
public final class Evaluator {
    /** Rows per forward pass during evaluation. */
    private static final int EVAL_BATCH = 1024;
    /** Evaluation never trains; SparkDl4jMultiLayer still wants a training master. */
    private static final ParameterAveragingTrainingMaster EVALUATION_ONLY =
            new ParameterAveragingTrainingMaster.Builder(1).build();

    private Evaluator() {}

    /**
     * Evaluates copies of {@code network}. DL4J's scoring broadcasts the network's live parameter array, and Spark
     * 3.5 closes an AutoCloseable broadcast value (an INDArray) when its cleaner collects the broadcast, which in local
     * mode frees that network's parameters whenever a GC happens to run. So the scoring gets a copy of its own that
     * nothing touches afterwards: with one copy shared by scoring and evaluation, the quickstart once failed in
     * evaluation with "You can't use DataBuffer once it was released".
     */
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
        return onSpark(sc, network, data, plan, threshold, false).metrics();
    }

    /**
     * The test split's one evaluation: its metrics and, for a binary model, the positive-class scores its report draws
     * the ROC and precision-recall curves from, collected in the same pass over the split.
     */
    public record TestEvaluation(Metrics metrics, PositiveScores positiveScores) {}

    /**
     * As {@link #evaluate(JavaSparkContext, MultiLayerNetwork, JavaRDD, FeaturePlan, double)}, for the test split
     * that a run looks at once: a binary model's positive-class scores come from the same pass as its metrics.
     */
    public static TestEvaluation test(
            JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> data, FeaturePlan plan, double threshold) {
        return onSpark(
                sc,
                network,
                data,
                plan,
                threshold,
                plan.task() == Task.CLASSIFICATION && plan.classes().size() == 2);
    }

    /** The metrics of a split on Spark; with {@code scores}, a binary model's positive-class scores from the same pass. */
    private static TestEvaluation onSpark(
            JavaSparkContext sc,
            MultiLayerNetwork network,
            JavaRDD<DataSet> data,
            FeaturePlan plan,
            double threshold,
            boolean scores) {
        double loss =
                new SparkDl4jMultiLayer(sc, network.clone(), EVALUATION_ONLY).calculateScore(data, true, EVAL_BATCH);
        // doEvaluation broadcasts the parameters as bytes (SparkUtils.asByteArrayBroadcast): nothing to close.
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, network.clone(), EVALUATION_ONLY);
        PositiveScores[] positive = {null};
        Metrics metrics = metrics(network, plan, threshold, loss, evaluations -> {
            if (!scores) {
                return net.doEvaluation(data, EVAL_BATCH, evaluations);
            }
            IEvaluation<?>[] all = java.util.Arrays.copyOf(evaluations, evaluations.length + 1);
            all[evaluations.length] = new PositiveScores();
            IEvaluation<?>[] done = net.doEvaluation(data, EVAL_BATCH, all);
            positive[0] = (PositiveScores) done[evaluations.length];
            return java.util.Arrays.copyOf(done, evaluations.length);
        });
        return new TestEvaluation(metrics, positive[0]);
    }

    /**
     * The same metrics from minibatches held in this JVM (a small split the driver keeps): no Spark job. The loss is
     * Spark's {@code calculateScore}: each {@value #EVAL_BATCH}-row batch's score (regularisation included) weighted
     * by its rows.
     */
    public static Metrics evaluate(MultiLayerNetwork network, List<DataSet> data, FeaturePlan plan, double threshold) {
        double sum = 0;
        long rows = 0;
        var batches = new IteratorDataSetIterator(data.iterator(), EVAL_BATCH);
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            sum += network.score(batch, false) * batch.numExamples();
            rows += batch.numExamples();
        }
        double loss = sum / rows;
        return metrics(
                network,
                plan,
                threshold,
                loss,
                evaluations ->
                        network.doEvaluation(new IteratorDataSetIterator(data.iterator(), EVAL_BATCH), evaluations));
    }

    /** Runs evaluations over a split, wherever it lives. */
    private interface Evaluations {
        IEvaluation<?>[] run(IEvaluation<?>... evaluations);
    }

    private static Metrics metrics(
            MultiLayerNetwork network, FeaturePlan plan, double threshold, double loss, Evaluations over) {
        List<String> classes = plan.classes();
        if (plan.task() == Task.REGRESSION) {
            // Several targets (a forecast's horizon) report the mean over targets of each metric.
            RegressionEvaluation r =
                    (RegressionEvaluation) over.run(new RegressionEvaluation(NetworkSummary.outputWidth(network)))[0];
            return inOriginalUnits(fromRegression(r, loss), plan.target());
        }
        IEvaluation<?>[] done = classes.size() == 2
                ? over.run(new Evaluation(threshold, 1), new ExactAuc())
                : over.run(new Evaluation(new ArrayList<>(classes)));
        Evaluation e = (Evaluation) done[0];
        Double auc = classes.size() == 2 ? ((ExactAuc) done[1]).auc() : null;
        return fromEvaluation(e, loss, auc, classes);
    }

    /** A binary model's positive-class probabilities on a split, binned by class ({@link PositiveScores}). */
    public static PositiveScores positiveScores(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> data) {
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, network.clone(), EVALUATION_ONLY);
        return net.doEvaluation(data, EVAL_BATCH, new PositiveScores())[0];
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
