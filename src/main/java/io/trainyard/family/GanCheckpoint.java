package io.trainyard.family;

import io.trainyard.gan.GanEpoch;
import io.trainyard.gan.GanResult;
import io.trainyard.gan.GanState;
import io.trainyard.run.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GAN trial's training state after a rung, in the layout and with the guarantees of {@link TrialCheckpoint}: both
 * networks as the last epoch left them with their updater state ({@code discriminator.zip}, {@code stack.zip}), the
 * best epoch's stack parameters ({@code best.bin}) and the history ({@code meta.json}).
 */
public final class GanCheckpoint {
    private static final String DISCRIMINATOR = "discriminator.zip";
    private static final String STACK = "stack.zip";
    private static final String BEST = "best.bin";
    private static final String META = "meta.json";

    /** What {@code meta.json} holds. @param seconds the trial's training time over all its rungs so far */
    record Meta(int bestEpoch, List<GanEpoch> history, String stopReason, boolean stopped, double seconds) {}

    /** A checkpoint read back. */
    public record Loaded(int budget, GanResult result, double seconds) {}

    private GanCheckpoint() {}

    public static void save(Path trialDir, int budget, GanResult result, double seconds) {
        GanState last = result.last();
        TrialCheckpoint.publish(trialDir, budget, last.history(), tmp -> {
            ModelSerializer.writeModel(
                    last.discriminator(), tmp.resolve(DISCRIMINATOR).toFile(), true);
            ModelSerializer.writeModel(last.stack(), tmp.resolve(STACK).toFile(), true);
            Nd4j.saveBinary(last.bestStack(), tmp.resolve(BEST).toFile());
            Meta meta = new Meta(result.bestEpoch(), last.history(), result.stopReason(), result.stopped(), seconds);
            Files.writeString(tmp.resolve(META), Json.write(meta));
        });
    }

    /** The checkpoint with the largest budget below {@code budget}: where a rung with that budget starts. */
    public static Optional<Loaded> latestBefore(Path trialDir, int budget) {
        return TrialCheckpoint.latestBudgetBefore(trialDir, budget).map(b -> load(trialDir, b));
    }

    static Loaded load(Path trialDir, int budget) {
        Path dir = TrialCheckpoint.directory(trialDir, budget);
        try {
            MultiLayerNetwork discriminator = TrialCheckpoint.readNetwork(dir.resolve(DISCRIMINATOR));
            MultiLayerNetwork stack = TrialCheckpoint.readNetwork(dir.resolve(STACK));
            INDArray best = Nd4j.readBinary(dir.resolve(BEST).toFile());
            Meta meta = Json.read(dir.resolve(META), Meta.class);
            GanState state = new GanState(discriminator, stack, meta.history(), best);
            return new Loaded(
                    budget, new GanResult(state, meta.bestEpoch(), meta.stopReason(), meta.stopped()), meta.seconds());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + dir, e);
        }
    }
}
