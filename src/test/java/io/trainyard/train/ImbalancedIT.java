package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remedies for imbalanced labels, each against none on the same data and seed: balanced class weights find the
 * rare classes more often, and a decision threshold chosen on validation raises the positive class's F1.
 */
class ImbalancedIT {
    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void generate() {
        data = GenerateJob.run(SparkTestSession.get(), Generators.byName("imbalanced"), dir.resolve("data"), 12_000, 3);
    }

    /** Trains on {@code label} with {@code weights}; returns metrics.json. */
    private static JsonNode train(String label, String other, String weights) throws Exception {
        return train(label, other, weights, "0.5");
    }

    private static JsonNode train(String label, String other, String weights, String threshold) throws Exception {
        String name = label + "-" + weights + (threshold.equals("0.5") ? "" : "-" + threshold);
        Path spec = Files.writeString(
                dir.resolve(name + ".conf"),
                "name = imbalanced\ndata { path = \""
                        + data + "\", label = " + label + ", id = [row_id], ignore = [" + other
                        + "] }\nmodel.hidden = [32, 16]\n"
                        + "model.threshold = " + threshold + "\n"
                        + "train { epochs = 8, batch-size = 128, learning-rate = 0.003, class-weights = " + weights
                        + " }\n");
        Path out = dir.resolve(name);
        CapturedRun run = CapturedRun.of("train", spec.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        return Json.MAPPER.readTree(out.resolve(RunFiles.METRICS).toFile());
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
            assertTrue(
                    recall(balanced, rare) > recall(none, rare),
                    rare + ": " + recall(balanced, rare) + " weighted, " + recall(none, rare) + " not");
        }
        // The weights are n / (k * count) over the train split's own counts.
        JsonNode plan = Json.MAPPER.readTree(
                dir.resolve("kind-balanced/model/feature-plan.json").toFile());
        JsonNode split = Json.MAPPER.readTree(
                dir.resolve("kind-balanced/data/split.json").toFile());
        long n = split.get("total").get("train").asLong();
        for (int c = 0; c < 4; c++) {
            String name = plan.get("classes").get(c).asText();
            long count = split.get("strata").get(name).get("train").asLong();
            assertEquals(
                    (double) n / (4 * count), plan.get("classWeights").get(c).asDouble(), 1e-9, name);
        }
    }

    @Test
    void aWeightedBinaryTaskFindsMorePositivesAndPredictScoresIt() throws Exception {
        JsonNode none = train("alert", "kind", "none");
        JsonNode balanced = train("alert", "kind", "balanced");
        assertEquals("true", balanced.get("test").get("positiveClass").asText());
        assertTrue(
                balanced.get("test").get("positiveRecall").asDouble()
                        > none.get("test").get("positiveRecall").asDouble(),
                balanced.get("test") + " against " + none.get("test"));
        CapturedRun scored = CapturedRun.of(
                "predict",
                "--model",
                dir.resolve("alert-balanced/model").toString(),
                "--input",
                data.toString(),
                "--out",
                dir.resolve("alert-predictions").toString(),
                "--invalid",
                "fail");
        assertEquals(ExitCode.OK, scored.exitCode(), scored.err());
        assertEquals(
                12_000,
                SparkTestSession.get()
                        .read()
                        .parquet(dir.resolve("alert-predictions").toString())
                        .where("probability_true + probability_false BETWEEN 0.999 AND 1.001")
                        .count());
    }

    @Test
    void anAutoThresholdRaisesValidationF1AndPredictAppliesIt() throws Exception {
        JsonNode metrics = train("alert", "kind", "none", "auto");
        JsonNode decision = metrics.get("decision_threshold");
        double threshold = decision.get("value").asDouble();
        assertEquals("auto", decision.get("chosen").asText());
        assertEquals("true", decision.get("positiveClass").asText());
        // 5% positives: the best F1 lies below 0.5, and choosing it must gain on the validation split it was chosen on.
        assertTrue(threshold < 0.5, decision.toString());
        assertTrue(
                decision.get("validationF1").asDouble()
                        > decision.get("validationF1At05").asDouble(),
                decision.toString());
        Path model = dir.resolve("alert-none-auto/model");
        assertEquals(
                threshold,
                Json.MAPPER
                        .readTree(model.resolve("model.json").toFile())
                        .get("decisionThreshold")
                        .asDouble(),
                0);
        Path predictions = dir.resolve("alert-auto-predictions");
        CapturedRun scored = CapturedRun.of(
                "predict", "--model", model.toString(), "--input", data.toString(), "--out", predictions.toString());
        assertEquals(ExitCode.OK, scored.exitCode(), scored.err());
        var rows = SparkTestSession.get().read().parquet(predictions.toString());
        long aboveThreshold = rows.where("probability_true > " + threshold).count();
        assertTrue(aboveThreshold > rows.where("probability_true > 0.5").count(), "the threshold moved no row");
        assertEquals(aboveThreshold, rows.where("prediction = 'true'").count());
        assertEquals(
                0,
                rows.where("prediction = 'true' AND probability_true <= " + threshold)
                        .count());
    }

    @Test
    void aThresholdOnAMulticlassLabelIsRefused() throws Exception {
        Path spec = Files.writeString(
                dir.resolve("kind-threshold.conf"),
                "name = imbalanced\ndata { path = \"" + data
                        + "\", label = kind, id = [row_id], ignore = [alert] }\nmodel.threshold = auto\ntrain.epochs = 1\n");
        CapturedRun run = CapturedRun.of(
                "train", spec.toString(), "--out", dir.resolve("kind-threshold").toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        assertEquals("model.threshold applies to a binary label; this one is 4 classes", run.errorLine());
    }
}
