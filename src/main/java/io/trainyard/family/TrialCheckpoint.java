package io.trainyard.family;

import io.trainyard.model.NetworkFiles;
import io.trainyard.run.Json;
import io.trainyard.run.RunDirectory;
import io.trainyard.train.EpochRecord;
import io.trainyard.train.TrainingResult;
import io.trainyard.train.TrainingStart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trial's training state after a rung, in {@code trials/trial-NNNN/epochs-E/} (E the rung's epoch budget): the
 * network as the last epoch left it with its updater state ({@code state.zip}), the best epoch's parameters
 * ({@code best.bin}) and the history ({@code meta.json}). The next rung continues from it; the sweep exports the
 * best trial's. Each is written whole under a temporary name and renamed into place, and named by its budget, so a
 * rung rerun after a crash starts from the previous rung's checkpoint, never from its own half-done one.
 */
public final class TrialCheckpoint {
    private static final String PREFIX = "epochs-";
    private static final String STATE = "state.zip";
    private static final String BEST = "best.bin";
    private static final String META = "meta.json";
    /** The trial's epochs so far, rewritten after each rung (for people reading a sweep's directory). */
    private static final String HISTORY = "history.json";

    /** What {@code meta.json} holds. @param seconds the trial's training time over all its rungs so far */
    record Meta(int bestEpoch, List<EpochRecord> history, String stopReason, boolean stopped, double seconds) {}

    /** A checkpoint read back. */
    public record Loaded(int budget, MultiLayerNetwork last, INDArray bestParams, Meta meta) {
        public TrainingStart start() {
            return new TrainingStart(last, meta.history(), bestParams);
        }

        /** The trial's result as training returned it: the network holds the best epoch's parameters. */
        public TrainingResult result() {
            MultiLayerNetwork best = last.clone();
            best.setParams(bestParams);
            return new TrainingResult(
                    best, meta.bestEpoch(), meta.history(), meta.stopReason(), last.params(), meta.stopped());
        }
    }

    private TrialCheckpoint() {}

    public static void save(Path trialDir, int budget, TrainingResult result, double seconds) {
        publish(trialDir, budget, result.history(), tmp -> {
            MultiLayerNetwork last = result.network().clone();
            last.setParams(result.lastParams());
            ModelSerializer.writeModel(last, tmp.resolve(STATE).toFile(), true);
            Nd4j.saveBinary(result.network().params(), tmp.resolve(BEST).toFile());
            Meta meta = new Meta(result.bestEpoch(), result.history(), result.stopReason(), result.stopped(), seconds);
            Files.writeString(tmp.resolve(META), Json.write(meta));
        });
    }

    /** The checkpoint with the largest budget below {@code budget}: where a rung with that budget starts. */
    public static Optional<Loaded> latestBefore(Path trialDir, int budget) {
        return latestBudgetBefore(trialDir, budget).map(b -> load(trialDir, b));
    }

    /** The largest budget below {@code budget} that has a checkpoint. */
    static Optional<Integer> latestBudgetBefore(Path trialDir, int budget) {
        return budgets(trialDir).filter(b -> b < budget).max(Comparator.naturalOrder());
    }

    /**
     * A rung's checkpoint directory, written whole by {@code writer} into a temporary directory first, then the
     * trial's {@code history.json}.
     */
    static void publish(Path trialDir, int budget, List<?> history, RunDirectory.DirectoryWriter writer) {
        RunDirectory.publishDirectory(directory(trialDir, budget), tmp -> {
            Files.createDirectories(tmp);
            writer.writeTo(tmp);
        });
        RunDirectory.writeAtomically(trialDir.resolve(HISTORY), Json.write(history));
    }

    /** A checkpointed network with its updater state. */
    static MultiLayerNetwork readNetwork(Path zip) throws IOException {
        try (InputStream in = Files.newInputStream(zip)) {
            return NetworkFiles.read(in, true, zip.toString());
        }
    }

    static Path directory(Path trialDir, int budget) {
        return trialDir.resolve(PREFIX + budget);
    }

    /** Removes checkpoints with a budget below {@code budget} (once a later one is recorded, nothing reads them). */
    static void pruneBefore(Path trialDir, int budget) {
        for (int b : budgets(trialDir).filter(b -> b < budget).toList()) {
            try (Stream<Path> files = Files.walk(trialDir.resolve(PREFIX + b))) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the old checkpoint " + trialDir.resolve(PREFIX + b), e);
            }
        }
    }

    static Loaded load(Path trialDir, int budget) {
        Path dir = directory(trialDir, budget);
        try {
            MultiLayerNetwork last = readNetwork(dir.resolve(STATE));
            INDArray best = Nd4j.readBinary(dir.resolve(BEST).toFile());
            return new Loaded(budget, last, best, Json.read(dir.resolve(META), Meta.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + dir, e);
        }
    }

    private static Stream<Integer> budgets(Path trialDir) {
        if (!Files.isDirectory(trialDir)) {
            return Stream.empty();
        }
        try (Stream<Path> entries = Files.list(trialDir)) {
            return entries
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(PREFIX + "\\d+"))
                    .map(n -> Integer.parseInt(n.substring(PREFIX.length())))
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + trialDir, e);
        }
    }
}
