package io.trainyard.evaluate;

import io.trainyard.data.PreparedData;
import io.trainyard.spec.model.DecisionThreshold;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A binary model's decision threshold as published: fixed by the spec, or chosen on the validation split once
 * training is done ({@code model.threshold = auto}); with the validation F1 of the positive class at it and at 0.5,
 * both evaluated exactly (not read off the histogram), so the gain is visible in {@code metrics.json}.
 *
 * @param value           the threshold on the positive class's probability
 * @param chosen          {@code auto} or {@code fixed}
 * @param positiveClass   the class a probability above the threshold predicts
 * @param validationF1    the positive class's F1 on the validation split at {@code value}
 * @param validationF1At05 the same at 0.5
 */
public record ThresholdChoice(
        double value, String chosen, String positiveClass, double validationF1, double validationF1At05) {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdChoice.class);

    /**
     * @param network    the kept model
     * @param validation its validation metrics at 0.5, from its epoch
     */
    public static ThresholdChoice make(
            JavaSparkContext sc,
            MultiLayerNetwork network,
            Metrics validation,
            PreparedData data,
            DecisionThreshold threshold) {
        double value = threshold.value();
        if (threshold.auto()) {
            PositiveScores scores = Evaluator.positiveScores(sc, network, data.validation());
            value = DecisionThresholds.maximiseF1(scores.positives(), scores.negatives())
                    .threshold();
        }
        Metrics atValue = value == DecisionThreshold.DEFAULT.value()
                ? validation
                : Evaluator.evaluate(sc, network, data.validation(), data.plan(), value);
        ThresholdChoice choice = new ThresholdChoice(
                value,
                threshold.auto() ? "auto" : "fixed",
                validation.positiveClass(),
                atValue.positiveF1(),
                validation.positiveF1());
        LOG.info(String.format(
                "decision threshold %.4f (%s): validation f1(%s) %.4f, at 0.5 %.4f",
                value, choice.chosen(), choice.positiveClass(), choice.validationF1(), choice.validationF1At05()));
        return choice;
    }
}
