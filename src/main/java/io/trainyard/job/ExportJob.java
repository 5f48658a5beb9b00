package io.trainyard.job;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.export.OnnxExport;
import io.trainyard.run.Json;
import io.trainyard.run.OutputDirectory;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trainyard export}: a published model (checked as {@code predict} checks it) written as {@code model.onnx}
 * beside {@code inputs.json}, which names the graph's input and outputs and every slot of the input vector. Needs no
 * Spark: it reads the model directory and writes the graph.
 */
public final class ExportJob {

    /** Beside {@code inputs.json} for a model over text: its vocabulary's tokens as a JSON array, in id order. */
    public static final String VOCABULARY = "vocabulary.json";

    private ExportJob() {}

    /** Exports {@code modelDir} into {@code out}; returns the graph's size in bytes. */
    public static long run(Path modelDir, Path out) {
        Map<String, String> inputs = Map.of("--model", modelDir.toString());
        OutputDirectory.requireWritable(out, OutputDirectory.Kind.EXPORT, "--out", inputs);
        ModelArtifact.Loaded model = ModelArtifact.load(modelDir);
        var anomaly = model.manifest().anomaly();
        boolean generator = model.manifest().generator();
        byte[] graph = ModelArtifact.graph(model.network(), model.plan(), model.normalizer(), anomaly, generator);
        Map<String, Object> description = generator ? generatorDescription(model) : description(model);
        RunDirectory.publishDirectory(out, tmp -> {
            Files.createDirectories(tmp);
            Files.write(tmp.resolve(ModelArtifact.ONNX), graph);
            Files.writeString(tmp.resolve(RunFiles.ONNX_INPUTS), Json.write(description));
            if (model.plan().text() != null) {
                Files.writeString(
                        tmp.resolve(VOCABULARY), Json.write(model.plan().text().vocabulary()));
            }
            OutputDirectory.mark(tmp, OutputDirectory.Kind.EXPORT);
        });
        return graph.length;
    }

    /** {@code inputs.json} of a network that scores rows: its input vector, and its outputs. */
    private static Map<String, Object> description(ModelArtifact.Loaded model) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("input", OnnxExport.INPUT);
        description.put("input_slots", OnnxExport.inputSlots(model.plan(), model.normalizer()));
        description.put("missing_values", "NaN");
        Map<String, Object> tokens = OnnxExport.tokens(model.plan(), VOCABULARY);
        if (tokens != null) {
            description.put("tokens", tokens);
        }
        var anomaly = model.manifest().anomaly();
        if (anomaly != null) {
            description.put(
                    "outputs",
                    List.of(OnnxExport.RECONSTRUCTION, OnnxExport.ANOMALY_SCORE, OnnxExport.ANOMALY, OnnxExport.CODE));
            description.put("anomaly_score", anomaly.score());
            description.put("anomaly_threshold", anomaly.threshold());
            return description;
        }
        boolean regression = model.plan().task() == Task.REGRESSION;
        description.put("output", regression ? OnnxExport.PREDICTION : OnnxExport.PROBABILITIES);
        description.put("task", model.manifest().task());
        description.put("classes", model.plan().classes());
        if (!regression && model.manifest().decisionThreshold() != null) {
            description.put("decision_threshold", model.manifest().decisionThreshold());
        }
        return description;
    }

    /** {@code inputs.json} of a GAN's generator: noise in, a row of the input vector out. */
    private static Map<String, Object> generatorDescription(ModelArtifact.Loaded model) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("input", OnnxExport.NOISE);
        description.put("input_slots", OnnxExport.noiseSlots(model.network()));
        description.put("input_distribution", "standard normal, independent per slot");
        description.put("output", OnnxExport.GENERATED);
        description.put("output_slots", OnnxExport.inputSlots(model.plan(), model.normalizer()));
        return description;
    }
}
