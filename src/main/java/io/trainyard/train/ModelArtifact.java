package io.trainyard.train;

import io.trainyard.data.FeaturePlan;
import io.trainyard.data.NormalizerStats;
import io.trainyard.model.NetworkFiles;
import io.trainyard.run.Json;
import io.trainyard.run.Provenance;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.UserInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A deployable model directory: the DL4J network ({@code network.zip}), the feature plan and normaliser that turn
 * source rows into its inputs, and {@code model.json} (task, classes, output head, the SHA-256 of every other file).
 * Published atomically (built under a temporary name, renamed over any previous model). Loaded only when every
 * checksum matches, before anything is deserialised, and through {@link NetworkFiles}, which admits only the entries
 * and classes a Trainyard network is made of: a model directory is code-free data, whoever hands it over.
 */
public final class ModelArtifact {
    public static final String NETWORK = "network.zip";
    public static final String MANIFEST = "model.json";
    public static final String FEATURE_PLAN = "feature-plan.json";
    public static final String NORMALIZER = "normalizer.json";
    /** The files {@code model.json} vouches for. */
    private static final List<String> CONTENT = List.of(NETWORK, FEATURE_PLAN, NORMALIZER);
    private static final int FORMAT = 2;

    /** What {@code model.json} records. */
    /** @param anomaly an autoencoder's threshold and code layer; null for other models */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Manifest(int format, String trainyardVersion, String task, List<String> classes, int inputWidth,
                           int outputWidth, String outputActivation, String loss, Map<String, String> sha256,
                           AnomalyDetection.AnomalyModel anomaly) {
    }

    /** A loaded model; {@code networkBytes} is {@code network.zip} as checked, for executors to read. */
    public record Loaded(MultiLayerNetwork network, byte[] networkBytes, FeaturePlan plan, NormalizerStats normalizer,
                         Manifest manifest) {
    }

    private ModelArtifact() {
    }

    public static Path publish(RunDirectory run, String name, MultiLayerNetwork network, FeaturePlan plan,
                               NormalizerStats normalizer, String outputActivation, String loss,
                               AnomalyDetection.AnomalyModel anomaly) {
        return RunDirectory.publishDirectory(run.resolve(name), tmp -> {
            Files.createDirectories(tmp);
            ModelSerializer.writeModel(network, tmp.resolve(NETWORK).toFile(), false);
            Files.writeString(tmp.resolve(FEATURE_PLAN), Json.write(plan));
            Files.writeString(tmp.resolve(NORMALIZER), Json.write(normalizer));
            int outputWidth = outputWidth(network);
            Map<String, String> sums = new LinkedHashMap<>();
            for (String file : CONTENT) {
                sums.put(file, sha256(Files.readAllBytes(tmp.resolve(file))));
            }
            Manifest manifest = new Manifest(FORMAT, Provenance.version(), plan.task().name().toLowerCase(Locale.ROOT),
                    plan.classes(), plan.inputWidth(), outputWidth, outputActivation, loss, sums, anomaly);
            Files.writeString(tmp.resolve(MANIFEST), Json.write(manifest));
        });
    }

    /** The width of a network's last layer (its bias length): classes, regression targets, reconstructed inputs. */
    static int outputWidth(MultiLayerNetwork network) {
        return (int) network.getLayer(network.getnLayers() - 1).getParam("b").length();
    }

    public static Loaded load(Path dir) {
        for (String required : List.of(MANIFEST, NETWORK, FEATURE_PLAN, NORMALIZER)) {
            if (!Files.isRegularFile(dir.resolve(required), LinkOption.NOFOLLOW_LINKS)) {
                throw new UserInputException("--model: " + dir + " is not a Trainyard model directory (no "
                        + required + ")");
            }
        }
        Manifest manifest;
        try {
            manifest = Json.MAPPER.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UserInputException("--model: " + dir.resolve(MANIFEST) + " is not a Trainyard model manifest: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (manifest.format() != FORMAT || manifest.sha256() == null) {
            throw new UserInputException("--model: " + dir.resolve(MANIFEST) + " has format " + manifest.format()
                    + "; this Trainyard reads format " + FORMAT + " (publish the model again)");
        }
        // Read once, checked and parsed from the same bytes: a file swapped after the check is never used.
        Map<String, byte[]> content = new LinkedHashMap<>();
        for (String file : CONTENT) {
            byte[] bytes = readBytes(dir.resolve(file));
            if (!sha256(bytes).equals(manifest.sha256().get(file))) {
                throw new UserInputException("--model: " + dir.resolve(file) + " does not match its checksum in "
                        + MANIFEST + "; refusing to load it");
            }
            content.put(file, bytes);
        }
        Path networkFile = dir.resolve(NETWORK);
        try {
            FeaturePlan plan = Json.MAPPER.readValue(content.get(FEATURE_PLAN), FeaturePlan.class);
            plan.checkExpressions("--model: " + dir.resolve(FEATURE_PLAN));
            MultiLayerNetwork network = NetworkFiles.read(new ByteArrayInputStream(content.get(NETWORK)), false,
                    networkFile.toString());
            return new Loaded(network, content.get(NETWORK), plan,
                    Json.MAPPER.readValue(content.get(NORMALIZER), NormalizerStats.class), manifest);
        } catch (IOException e) {
            throw new UserInputException("--model: cannot read " + networkFile + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
