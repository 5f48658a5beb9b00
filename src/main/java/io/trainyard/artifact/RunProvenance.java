package io.trainyard.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Where a run and its model came from, typed: the resolved spec (secrets redacted; feedable back as a spec), the data's
 * fingerprint, every seed the run derived, the Spark it ran on and the Java. Written as the run's {@code run.json} and
 * inside the model's {@code model.json}, so a model copied to a serving host keeps its origin.
 */
@JsonPropertyOrder({"name", "trainyard_version", "created", "spec", "data", "seeds", "spark", "java"})
public record RunProvenance(
        String name,
        @JsonProperty("trainyard_version") String trainyardVersion,
        String created,
        JsonNode spec,
        Data data,
        Map<String, Long> seeds,
        Spark spark,
        String java) {
    /** The data read: its path (secrets redacted), how many files and bytes, and the fingerprint of their listing. */
    public record Data(String path, int files, long bytes, String fingerprint) {}

    /** The Spark the run used: its version, master, default parallelism and settings (secrets redacted). */
    public record Spark(
            String version,
            String master,
            @JsonProperty("default_parallelism") int defaultParallelism,
            Map<String, String> conf) {}
}
