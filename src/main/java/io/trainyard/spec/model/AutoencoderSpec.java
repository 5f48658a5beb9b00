package io.trainyard.spec.model;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecException;
import java.util.List;

/**
 * An autoencoder's own keys ({@code model.bottleneck}, {@code model.decoder}, {@code model.normal-class},
 * {@code model.threshold-percentile}); the encoder is {@code model.hidden}.
 *
 * @param bottleneck          width of the code layer between encoder and decoder
 * @param decoder             decoder widths after the bottleneck; empty = the encoder's in reverse
 * @param normalClass         with a label: the class of normal rows, the only ones trained on; empty = the most
 *                            frequent class in the train split
 * @param thresholdPercentile the anomaly threshold is this percentile of the validation split's reconstruction
 *                            errors
 */
public record AutoencoderSpec(int bottleneck, List<Integer> decoder, String normalClass, double thresholdPercentile) {
    public AutoencoderSpec {
        Checks.positive("model.bottleneck", bottleneck);
        decoder = List.copyOf(decoder);
        ModelSpec.requireAtMostMaxLayers("model.decoder", decoder);
        for (int width : decoder) {
            Checks.positive("model.decoder", width);
        }
        normalClass = normalClass == null ? "" : normalClass;
        if (!(thresholdPercentile > 0 && thresholdPercentile < 100)) {
            throw new SpecException("model.threshold-percentile must be in (0, 100), got " + thresholdPercentile);
        }
    }

    /** The decoder's widths: as given, or the encoder's mirrored. */
    public List<Integer> decoderFor(List<Integer> encoder) {
        if (!decoder.isEmpty()) {
            return decoder;
        }
        List<Integer> mirrored = new java.util.ArrayList<>(encoder);
        java.util.Collections.reverse(mirrored);
        return List.copyOf(mirrored);
    }
}
