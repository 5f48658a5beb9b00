package io.trainyard.family;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.trainyard.gan.GanEpoch;
import java.util.List;
import java.util.Locale;

/** A GAN's {@code metrics.json}: the kept epoch, the test split's MMD (measured once), and the epochs' history. */
public record GanMetrics(
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("stop_reason") String stopReason,
        Test test,
        List<GanEpoch> history,
        double seconds)
        implements RunMetrics {

    /**
     * The kept generator's squared MMD to the test rows, beside the untrained generator's (what training started from).
     *
     * @param rows        test rows the MMD was measured on
     * @param kernelWidth the Gaussian kernel's width, fitted on the validation rows
     */
    public record Test(
            double mmd2,
            @JsonProperty("untrained_generator_mmd2") double untrainedGeneratorMmd2,
            long rows,
            @JsonProperty("kernel_width") double kernelWidth) {}

    @Override
    public String testSummary() {
        return String.format(
                Locale.ROOT, "mmd^2 %.5f (untrained generator %.5f)", test.mmd2(), test.untrainedGeneratorMmd2());
    }
}
