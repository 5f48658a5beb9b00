package io.trainyard.family;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.evaluate.Baselines;
import io.trainyard.evaluate.Metrics;
import io.trainyard.evaluate.ThresholdChoice;
import io.trainyard.train.EpochRecord;
import java.util.List;

/**
 * A network's {@code metrics.json}: the kept epoch, its validation metrics, the test split's (evaluated once), the
 * baselines and anomaly detection its kind of model has, and the epochs' history.
 *
 * @param decisionThreshold a binary model's threshold and why; null otherwise
 * @param testBaseline      a forecast of its own history: the naive forecasts on the same test rows, and MASE; null
 *                          otherwise
 * @param anomaly           an autoencoder's threshold and, with labels, its test detection; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkMetrics(
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("stop_reason") String stopReason,
        Metrics validation,
        @JsonProperty("decision_threshold") ThresholdChoice decisionThreshold,
        Metrics test,
        @JsonProperty("test_baseline") Baselines testBaseline,
        AnomalyDetection.Report anomaly,
        List<EpochRecord> history,
        @JsonProperty("mean_examples_per_second") double meanExamplesPerSecond,
        double seconds)
        implements RunMetrics {

    /** The naive forecast's figures on the test rows the model was scored on. */
    public record Baseline(
            @JsonProperty("repeat_last_value_mae") double repeatLastValueMae) {}

    @Override
    public String testSummary() {
        return test.summary();
    }
}
