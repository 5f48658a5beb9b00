package io.trainyard.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A forecast's naive baselines on the test rows it was scored on, in the label's units, and its MASE: the model's
 * test MAE over repeating the last value's MAE on the train split (below 1 beats the naive forecast in-sample; the
 * scale-free figure forecasting competitions rank by).
 *
 * @param seasonalNaiveMae the last value plus last season's change; null without {@code data.sequence.season}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Baselines(
        @JsonProperty("repeat_last_value_mae") double repeatLastValueMae,
        @JsonProperty("seasonal_naive_mae") Double seasonalNaiveMae,
        @JsonProperty("train_repeat_last_value_mae") double trainRepeatLastValueMae,
        double mase) {}
