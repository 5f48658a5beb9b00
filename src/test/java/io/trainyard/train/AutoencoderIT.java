package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.evaluate.AnomalyStats;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.ManifoldGenerator;
import io.trainyard.job.SweepJob;
import io.trainyard.job.TrainJob;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.Predictions;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Autoencoders: anomaly detection on planted anomalies, its threshold and scores reproduced by predict, no labels. */
class AutoencoderIT {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path rows;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        rows = GenerateJob.run(spark, Generators.byName("manifold"), dir.resolve("manifold"), 20_000, 9);
    }

    private static JobSpec autoencoder(String label, String... more) {
        List<String> all = new ArrayList<>(List.of(
                "data.id=[row_id]",
                "model.type=autoencoder",
                "model.hidden=[32, 16]",
                "model.bottleneck=" + ManifoldGenerator.LATENT,
                "model.activation=tanh",
                "train.epochs=10",
                "train.batch-size=128",
                "train.learning-rate=0.003",
                "train.workers=2"));
        all.addAll(List.of(more));
        return TestSpecs.spec(rows.toString(), label, all.toArray(String[]::new));
    }

    @Test
    void reconstructionErrorFindsPlantedAnomaliesAndPredictReproducesTheScores() throws Exception {
        JobSpec spec = autoencoder("is_anomaly", "model.normal-class=false");
        Path out = dir.resolve("labelled");
        TrainJob.run(spark, spec, out);
        JsonNode anomaly =
                Json.MAPPER.readTree(out.resolve(RunFiles.METRICS).toFile()).get("anomaly");
        double auc = anomaly.get("test").get("auc").asDouble();
        assertTrue(auc >= 0.95, "test roc auc " + auc);
        double threshold = anomaly.get("model").get("threshold").asDouble();

        List<Row> scored = Predictions.onTestSplit(
                        spark, spec, out.resolve("model"), rows, dir.resolve("scores"), "row_id", "is_anomaly")
                .collectAsList();
        assertEquals(anomaly.get("test").get("rows").asLong(), scored.size());
        double[] scores = new double[scored.size()];
        boolean[] truth = new boolean[scored.size()];
        long flagged = 0;
        for (int i = 0; i < scored.size(); i++) {
            Row r = scored.get(i);
            scores[i] = r.getDouble(r.fieldIndex("anomaly_score"));
            truth[i] = r.getBoolean(r.fieldIndex("label"));
            assertEquals(scores[i] > threshold, r.getBoolean(r.fieldIndex("anomaly")));
            flagged += r.getBoolean(r.fieldIndex("anomaly")) ? 1 : 0;
            assertEquals(
                    ManifoldGenerator.LATENT, r.getList(r.fieldIndex("code")).size());
        }
        assertEquals(auc, AnomalyStats.rocAuc(scores, truth), 1e-9);
        assertEquals(anomaly.get("test").get("flagged").asLong(), flagged);
    }

    @Test
    void aSweepTunesTheBottleneckAndPublishesTheBestDetector() throws Exception {
        JobSpec spec = autoencoder(
                "is_anomaly",
                "train.epochs=3",
                "sweep.strategy=grid",
                "sweep.trials=2",
                "sweep.space.model.bottleneck={choice = [2, 3]}");
        Path out = dir.resolve("sweep");
        SweepJob.run(spark, spec, out);
        List<String> results = java.nio.file.Files.readAllLines(out.resolve(RunFiles.RESULTS_CSV));
        assertEquals(3, results.size(), String.join("\n", results));
        JsonNode best = Json.MAPPER.readTree(
                out.resolve(RunFiles.BEST).resolve(RunFiles.METRICS).toFile());
        // As good as the single run above: every bottleneck tried separates the manifold's anomalies.
        assertTrue(best.get("anomaly").get("test").get("auc").asDouble() >= 0.95, best.toString());
        assertTrue(java.nio.file.Files.exists(out.resolve(RunFiles.BEST).resolve("model/model.json")));
    }

    @Test
    void withoutALabelItThresholdsOnEveryValidationRow() throws Exception {
        Path out = dir.resolve("unlabelled");
        TrainJob.run(spark, autoencoder("", "train.epochs=2"), out);
        JsonNode anomaly =
                Json.MAPPER.readTree(out.resolve(RunFiles.METRICS).toFile()).get("anomaly");
        JsonNode split = Json.MAPPER.readTree(out.resolve("data/split.json").toFile());
        assertEquals(
                split.get("total").get("validation").asLong(),
                anomaly.get("validationRows").asLong());
        assertNull(anomaly.get("test"));
        // The threshold is the 99th percentile of validation errors: on the test split, drawn alike, about 1% of rows
        // lie above it (about 30 of 3,000; the bounds are several binomial standard deviations wide).
        JobSpec spec = autoencoder("", "train.epochs=2");
        Dataset<Row> scored = Predictions.onTestSplit(
                spark, spec, out.resolve("model"), rows, dir.resolve("unlabelled-scores"), "row_id", "is_anomaly");
        double share = scored.where("anomaly").count() / (double) scored.count();
        assertTrue(share >= 0.003 && share <= 0.025, "share above the threshold on test: " + share);
    }
}
