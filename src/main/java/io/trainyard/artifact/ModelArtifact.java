package io.trainyard.artifact;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.export.OnnxExport;
import io.trainyard.model.NetworkFiles;
import io.trainyard.model.NetworkSummary;
import io.trainyard.run.Json;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.Saturating;
import io.trainyard.run.Sha256;
import io.trainyard.run.UserInputException;
import io.trainyard.run.Version;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
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
    /** The loss a GAN generator's {@code model.json} records: it has none of its own (the discriminator judges it). */
    public static final String GENERATOR = "none";

    public static final String NETWORK = "network.zip";
    public static final String MANIFEST = "model.json";
    public static final String FEATURE_PLAN = "feature-plan.json";
    public static final String NORMALIZER = "normalizer.json";
    /** The network as an ONNX graph, written when it exports ({@link OnnxExport}); Trainyard itself never reads it. */
    public static final String ONNX = "model.onnx";
    /** The files {@code model.json} vouches for. */
    private static final List<String> CONTENT = List.of(NETWORK, FEATURE_PLAN, NORMALIZER);
    /** Format 3 added the parameter count and optional signatures. */
    private static final int FORMAT = 3;

    private static final long MAX_JSON_BYTES = 64L << 20;
    /** A network zip holds its configuration and headers besides the parameters. */
    private static final long MAX_ZIP_OVERHEAD = 16L << 20;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelArtifact.class);

    /**
     * What {@code model.json} records.
     *
     * @param parameters the network's parameter count, which bounds what loading may read and allocate
     * @param anomaly    an autoencoder's threshold and code layer; null for other models
     * @param decisionThreshold a binary classifier's threshold on the positive class's probability; null for others
     * @param onnxInputs the input vector {@code model.onnx} takes, one name per slot; null when there is no graph
     * @param provenance where the model came from (the run's {@code run.json}); null in models published before it
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Manifest(
            int format,
            String trainyardVersion,
            String task,
            List<String> classes,
            int inputWidth,
            int outputWidth,
            long parameters,
            String outputActivation,
            String loss,
            Map<String, String> sha256,
            AnomalyDetection.AnomalyModel anomaly,
            Double decisionThreshold,
            List<String> onnxInputs,
            RunProvenance provenance) {
        /** Whether this is a GAN's generator, which generates rows from noise and scores none. */
        public boolean generator() {
            return GENERATOR.equals(loss);
        }

        /** The threshold a binary model applies: the one it was published with, else 0.5 (argmax). */
        public double threshold() {
            return decisionThreshold == null ? 0.5 : decisionThreshold;
        }
    }

    /** A loaded model; {@code networkBytes} is {@code network.zip} as checked, for executors to read. */
    public record Loaded(
            MultiLayerNetwork network,
            byte[] networkBytes,
            FeaturePlan plan,
            NormalizerStats normalizer,
            Manifest manifest) {}

    private ModelArtifact() {}

    /**
     * Publishes a model directory; {@code model.onnx} too when the network exports ({@link OnnxExport}; when it does
     * not, the log says why).
     *
     * @param loss the training loss's name; {@link #GENERATOR} for a GAN's generator
     */
    public static Path publish(
            RunDirectory run,
            String name,
            MultiLayerNetwork network,
            FeaturePlan plan,
            NormalizerStats normalizer,
            String outputActivation,
            String loss,
            AnomalyDetection.AnomalyModel anomaly,
            Double decisionThreshold,
            RunProvenance provenance) {
        ModelSignature signature = ModelSignature.configured();
        return RunDirectory.publishDirectory(run.resolve(name), tmp -> {
            Files.createDirectories(tmp);
            ModelSerializer.writeModel(network, tmp.resolve(NETWORK).toFile(), false);
            Files.writeString(tmp.resolve(FEATURE_PLAN), Json.write(plan));
            Files.writeString(tmp.resolve(NORMALIZER), Json.write(normalizer));
            int outputWidth = NetworkSummary.outputWidth(network);
            Map<String, byte[]> files = new TreeMap<>();
            Map<String, String> sums = new LinkedHashMap<>();
            for (String file : CONTENT) {
                files.put(file, Files.readAllBytes(tmp.resolve(file)));
                sums.put(file, Sha256.hex(files.get(file)));
            }
            List<String> onnxInputs = null;
            boolean generator = GENERATOR.equals(loss);
            try {
                files.put(ONNX, graph(network, plan, normalizer, anomaly, generator));
                Files.write(tmp.resolve(ONNX), files.get(ONNX));
                sums.put(ONNX, Sha256.hex(files.get(ONNX)));
                onnxInputs = generator ? OnnxExport.noiseSlots(network) : OnnxExport.inputSlots(plan, normalizer);
            } catch (UserInputException refused) {
                LOG.info("no {}: {}", ONNX, refused.getMessage());
            }
            Manifest manifest = new Manifest(
                    FORMAT,
                    Version.of(),
                    plan.task().name().toLowerCase(Locale.ROOT),
                    plan.classes(),
                    plan.inputWidth(),
                    outputWidth,
                    network.numParams(),
                    outputActivation,
                    loss,
                    sums,
                    anomaly,
                    decisionThreshold,
                    onnxInputs,
                    provenance);
            files.put(MANIFEST, Json.write(manifest).getBytes(StandardCharsets.UTF_8));
            Files.write(tmp.resolve(MANIFEST), files.get(MANIFEST));
            if (signature.enabled()) {
                Files.writeString(tmp.resolve(ModelSignature.FILE), signature.sign(files));
            }
        });
    }

    /**
     * The model's ONNX graph: a GAN generator's (noise to a generated row) when {@code generator}, an autoencoder's
     * (reconstruction, anomaly score and flag, code) when {@code anomaly} is set, else the network's predictions;
     * refused with one line when it does not export.
     */
    public static byte[] graph(
            MultiLayerNetwork network,
            FeaturePlan plan,
            NormalizerStats normalizer,
            AnomalyDetection.AnomalyModel anomaly,
            boolean generator) {
        if (generator) {
            return OnnxExport.generator(network, plan, normalizer);
        }
        if (anomaly == null) {
            return OnnxExport.of(network, plan, normalizer);
        }
        return OnnxExport.autoencoder(
                network,
                plan,
                normalizer,
                new OnnxExport.Anomaly(anomaly.codeLayer(), "mae".equals(anomaly.score()), anomaly.threshold()));
    }

    /** Loads a model directory with the key this process is configured with ({@link ModelSignature#configured}). */
    public static Loaded load(Path dir) {
        return load(dir, ModelSignature.configured());
    }

    /**
     * Loads a model directory, every file read once and bounded in size before it is read: the signature is checked
     * when {@code signature} has a key, then the checksums, then the plan's SQL, then the network, and last that the
     * files agree with each other. Anything else is refused, naming the file.
     */
    public static Loaded load(Path dir, ModelSignature signature) {
        for (String required : List.of(MANIFEST, NETWORK, FEATURE_PLAN, NORMALIZER)) {
            if (!Files.isRegularFile(dir.resolve(required), LinkOption.NOFOLLOW_LINKS)) {
                throw new UserInputException(
                        "--model: " + dir + " is not a Trainyard model directory (no " + required + ")");
            }
        }
        byte[] manifestBytes = readBytes(dir.resolve(MANIFEST), MAX_JSON_BYTES);
        Manifest manifest;
        try {
            manifest = Json.MAPPER.readValue(manifestBytes, Manifest.class);
        } catch (IOException e) {
            throw new UserInputException(
                    "--model: " + dir.resolve(MANIFEST) + " is not a Trainyard model manifest: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        if (manifest.format() != FORMAT || manifest.sha256() == null || manifest.parameters() <= 0) {
            throw new UserInputException("--model: " + dir.resolve(MANIFEST) + " has format " + manifest.format()
                    + "; this Trainyard reads format " + FORMAT + " (publish the model again)");
        }
        // Read once, checked and parsed from the same bytes: a file swapped after the check is never used.
        Map<String, byte[]> content = new TreeMap<>();
        content.put(MANIFEST, manifestBytes);
        long networkLimit = Saturating.add(MAX_ZIP_OVERHEAD, Saturating.multiply(manifest.parameters(), Double.BYTES));
        for (String file : CONTENT) {
            content.put(file, readBytes(dir.resolve(file), file.equals(NETWORK) ? networkLimit : MAX_JSON_BYTES));
        }
        if (signature.enabled()) {
            // The graph holds the parameters as float32: no larger than the network's own zip may be.
            signature.verify(dir, otherFiles(dir, content, networkLimit), readSignature(dir));
        } else if (Files.exists(dir.resolve(ModelSignature.FILE), LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn(
                    "{} is signed, but no model key is set ({}): its signature is not checked",
                    dir,
                    ModelSignature.KEY_ENV);
        }
        for (String file : CONTENT) {
            if (!Sha256.hex(content.get(file)).equals(manifest.sha256().get(file))) {
                throw new UserInputException("--model: " + dir.resolve(file) + " does not match its checksum in "
                        + MANIFEST + "; refusing to load it");
            }
        }
        FeaturePlan plan = parse(dir, FEATURE_PLAN, content, FeaturePlan.class);
        plan.checkExpressions("--model: " + dir.resolve(FEATURE_PLAN));
        NormalizerStats normalizer = parse(dir, NORMALIZER, content, NormalizerStats.class);
        Path networkFile = dir.resolve(NETWORK);
        try {
            MultiLayerNetwork network = NetworkFiles.read(
                    new ByteArrayInputStream(content.get(NETWORK)),
                    false,
                    networkFile.toString(),
                    manifest.parameters());
            Loaded loaded = new Loaded(network, content.get(NETWORK), plan, normalizer, manifest);
            checkAgreement(dir, loaded);
            return loaded;
        } catch (IOException e) {
            throw new UserInputException("--model: cannot read " + networkFile + ": " + e.getMessage(), e);
        }
    }

    /** One of the model's JSON files, as read; a file that is not what Trainyard writes is refused naming it. */
    private static <T> T parse(Path dir, String file, Map<String, byte[]> content, Class<T> type) {
        try {
            return Json.MAPPER.readValue(content.get(file), type);
        } catch (IOException e) {
            throw new UserInputException(
                    "--model: " + dir.resolve(file) + " is not what Trainyard writes: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    /** Every file in the model directory, with the ones already read taken from {@code content}. */
    private static Map<String, byte[]> otherFiles(Path dir, Map<String, byte[]> content, long graphLimit) {
        Map<String, byte[]> files = new TreeMap<>(content);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(ModelSignature.FILE) || files.containsKey(name)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new UserInputException("--model: " + p + " is not a regular file, so no signature can cover "
                            + "it; refusing to load the model");
                }
                files.put(name, readBytes(p, name.equals(ONNX) ? graphLimit : MAX_JSON_BYTES));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return files;
    }

    private static byte[] readSignature(Path dir) {
        Path file = dir.resolve(ModelSignature.FILE);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? readBytes(file, MAX_JSON_BYTES) : null;
    }

    /** Whether a network of {@code outputs} outputs predicts the plan's label: one per class (or one for two), or target. */
    private static boolean labelFits(FeaturePlan plan, int outputs) {
        return outputs == plan.labelWidth(false) || outputs == plan.labelWidth(true);
    }

    /** The manifest, plan and network must describe one model; a manifest's numbers are used only once they do. */
    private static void checkAgreement(Path dir, Loaded model) {
        Manifest m = model.manifest();
        String problem = null;
        long layers = model.network().getnLayers();
        if (m.parameters() != model.network().numParams()) {
            problem = "parameters " + m.parameters() + " but the network has "
                    + model.network().numParams();
        } else if (m.inputWidth() != model.plan().inputWidth()) {
            problem = "inputWidth " + m.inputWidth() + " but the feature plan gives "
                    + model.plan().inputWidth();
        } else if (m.outputWidth() != NetworkSummary.outputWidth(model.network())) {
            problem = "outputWidth " + m.outputWidth() + " but the network's is "
                    + NetworkSummary.outputWidth(model.network());
        } else if (!m.task().equals(model.plan().task().name().toLowerCase(Locale.ROOT))
                || !m.classes().equals(model.plan().classes())) {
            problem = "task " + m.task() + " with classes " + m.classes() + " but the feature plan has "
                    + model.plan().task().name().toLowerCase(Locale.ROOT) + " with "
                    + model.plan().classes();
        } else if (m.anomaly() != null && (m.generator() || m.outputWidth() != m.inputWidth())) {
            problem = "an anomaly threshold, but the network is no autoencoder (" + m.inputWidth() + " inputs, "
                    + m.outputWidth() + " outputs)";
        } else if (m.anomaly() == null && !m.generator() && !labelFits(model.plan(), m.outputWidth())) {
            problem = "outputWidth " + m.outputWidth() + " but the feature plan's label needs "
                    + model.plan().labelWidth(false)
                    + (model.plan().classes().size() == 2 ? " (or 1)" : "") + " outputs";
        } else if (m.anomaly() != null
                && !(Double.isFinite(m.anomaly().threshold())
                        && m.anomaly().threshold() >= 0
                        && m.anomaly().codeLayer() >= 0
                        && m.anomaly().codeLayer() < layers)) {
            problem = "an anomaly threshold of " + m.anomaly().threshold() + " at layer "
                    + m.anomaly().codeLayer();
        } else if (m.decisionThreshold() != null
                && !(m.decisionThreshold() > 0
                        && m.decisionThreshold() < 1
                        && model.plan().classes().size() == 2)) {
            problem = "a decision threshold of " + m.decisionThreshold() + " for "
                    + model.plan().classes().size() + " classes";
        } else if (model.normalizer().center().size()
                        != model.plan().scalarInputs().size()
                || model.normalizer().scale().size()
                        != model.plan().scalarInputs().size()
                || model.normalizer().scale().stream().anyMatch(v -> !Double.isFinite(v) || v == 0)
                || model.normalizer().center().stream().anyMatch(v -> !Double.isFinite(v))) {
            problem = "a normaliser that does not fit the feature plan's "
                    + model.plan().scalarInputs().size() + " scalar inputs";
        }
        if (problem != null) {
            throw new UserInputException(
                    "--model: " + dir.resolve(MANIFEST) + " says " + problem + "; refusing to load it");
        }
    }

    /** The file's bytes, refused before reading when it is larger than {@code limit}. */
    private static byte[] readBytes(Path file, long limit) {
        try {
            if (Files.size(file) > limit) {
                throw new UserInputException("--model: " + file + " has " + Files.size(file) + " bytes, more than the "
                        + "model can hold (" + limit + "); refusing to load it");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
