package io.trainyard.train;

import io.trainyard.data.FeaturePlan;
import io.trainyard.data.NormalizerStats;
import io.trainyard.run.Json;
import io.trainyard.run.Provenance;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A deployable model directory: the DL4J network ({@code network.zip}), the feature plan and normaliser that turn
 * source rows into its inputs, and {@code model.json} (task, classes, output head, the network file's SHA-256).
 * Published atomically (built under a temporary name, renamed over any previous model); loaded only after the
 * checksum matches, because the network file is Java serialisation underneath.
 */
public final class ModelArtifact {
    public static final String NETWORK = "network.zip";
    public static final String MANIFEST = "model.json";
    public static final String FEATURE_PLAN = "feature-plan.json";
    public static final String NORMALIZER = "normalizer.json";

    /** What {@code model.json} records. */
    public record Manifest(int format, String trainyardVersion, String task, List<String> classes, int inputWidth,
                           int outputWidth, String outputActivation, String loss, String networkSha256) {
    }

    /** A loaded model. */
    public record Loaded(MultiLayerNetwork network, FeaturePlan plan, NormalizerStats normalizer, Manifest manifest) {
    }

    private ModelArtifact() {
    }

    public static Path publish(RunDirectory run, String name, MultiLayerNetwork network, FeaturePlan plan,
                               NormalizerStats normalizer, String outputActivation, String loss) {
        return RunDirectory.publishDirectory(run.resolve(name), tmp -> {
            Files.createDirectories(tmp);
            Path networkFile = tmp.resolve(NETWORK);
            ModelSerializer.writeModel(network, networkFile.toFile(), false);
            Files.writeString(tmp.resolve(FEATURE_PLAN), Json.write(plan));
            Files.writeString(tmp.resolve(NORMALIZER), Json.write(normalizer));
            int outputWidth = (int) network.getLayer(network.getnLayers() - 1).getParam("b").length();
            Manifest manifest = new Manifest(1, Provenance.version(), plan.task().name().toLowerCase(java.util.Locale.ROOT),
                    plan.classes(), plan.inputWidth(), outputWidth, outputActivation, loss, sha256(networkFile));
            Files.writeString(tmp.resolve(MANIFEST), Json.write(manifest));
        });
    }

    public static Loaded load(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        Path networkFile = dir.resolve(NETWORK);
        for (Path required : List.of(manifestFile, networkFile, dir.resolve(FEATURE_PLAN), dir.resolve(NORMALIZER))) {
            if (!Files.isRegularFile(required)) {
                throw new UserInputException("--model: " + dir + " is not a Trainyard model directory (no "
                        + required.getFileName() + ")");
            }
        }
        Manifest manifest = Json.read(manifestFile, Manifest.class);
        String actual = sha256(networkFile);
        if (!actual.equals(manifest.networkSha256())) {
            throw new UserInputException("--model: " + networkFile + " does not match the checksum in " + MANIFEST
                    + "; refusing to load it");
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(networkFile.toFile(), false);
            return new Loaded(network, Json.read(dir.resolve(FEATURE_PLAN), FeaturePlan.class),
                    Json.read(dir.resolve(NORMALIZER), NormalizerStats.class), manifest);
        } catch (IOException e) {
            throw new UserInputException("--model: cannot read " + networkFile + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
