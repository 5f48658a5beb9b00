package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Balanced class weights against none, same data and seed: the rare classes are found more often. */
class ClassWeightsIT {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void generate() {
        data = GenerateJob.run(SparkTestSession.get(), Generators.byName("imbalanced"), dir.resolve("data"), 12_000, 3);
    }

    /** Trains on {@code label} with {@code weights}; returns metrics.json. */
    private static JsonNode train(String label, String other, String weights) throws Exception {
        Path spec = Files.writeString(dir.resolve(label + "-" + weights + ".conf"), "name = imbalanced\ndata { path = \""
                + data + "\", label = " + label + ", id = [row_id], ignore = [" + other + "] }\nmodel.hidden = [32, 16]\n"
                + "train { epochs = 8, batch-size = 128, learning-rate = 0.003, class-weights = " + weights + " }\n");
        Path out = dir.resolve(label + "-" + weights);
        CapturedRun run = CapturedRun.of("train", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        return Json.MAPPER.readTree(out.resolve(TrainJob.METRICS).toFile());
    }

    private static double recall(JsonNode metrics, String className) {
        for (JsonNode c : metrics.get("test").get("perClass")) {
            if (c.get("name").asText().equals(className)) {
                return c.get("recall").asDouble();
            }
        }
        throw new AssertionError("no class " + className);
    }

    @Test
    void balancedWeightsRaiseTheRareClassesRecall() throws Exception {
        JsonNode none = train("kind", "alert", "none");
        JsonNode balanced = train("kind", "alert", "balanced");
        for (String rare : new String[] {"rare", "uncommon"}) {
            assertTrue(recall(balanced, rare) > recall(none, rare), rare + ": " + recall(balanced, rare) + " weighted, "
                    + recall(none, rare) + " not");
        }
        // The weights are n / (k * count) over the train split's own counts.
        JsonNode plan = Json.MAPPER.readTree(dir.resolve("kind-balanced/model/feature-plan.json").toFile());
        JsonNode split = Json.MAPPER.readTree(dir.resolve("kind-balanced/data/split.json").toFile());
        long n = split.get("total").get("train").asLong();
        for (int c = 0; c < 4; c++) {
            String name = plan.get("classes").get(c).asText();
            long count = split.get("strata").get(name).get("train").asLong();
            assertEquals((double) n / (4 * count), plan.get("classWeights").get(c).asDouble(), 1e-9, name);
        }
    }

    @Test
    void aWeightedBinaryTaskFindsMorePositivesAndPredictScoresIt() throws Exception {
        JsonNode none = train("alert", "kind", "none");
        JsonNode balanced = train("alert", "kind", "balanced");
        assertEquals("true", balanced.get("test").get("positiveClass").asText());
        assertTrue(balanced.get("test").get("positiveRecall").asDouble() > none.get("test").get("positiveRecall")
                .asDouble(), balanced.get("test") + " against " + none.get("test"));
        CapturedRun scored = CapturedRun.of("predict", "--model", dir.resolve("alert-balanced/model").toString(),
                "--input", data.toString(), "--out", dir.resolve("alert-predictions").toString(), "--invalid", "fail");
        assertEquals(ExitCode.OK, scored.exitCode(), scored.err());
        assertEquals(12_000, SparkTestSession.get().read().parquet(dir.resolve("alert-predictions").toString())
                .where("probability_true + probability_false BETWEEN 0.999 AND 1.001").count());
    }
}
