package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.family.NetworkFamily;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.ShapesGenerator;
import io.trainyard.job.TrainJob;
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
import org.nd4j.linalg.dataset.DataSet;

/** CNNs from a spec: images as an array column or as pixel columns, trained with parameter averaging, scored. */
class CnnIT {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path images;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        images = GenerateJob.run(spark, Generators.byName("shapes"), dir.resolve("shapes"), 10_000, 3);
    }

    private static List<String> cnn(String... more) {
        List<String> all = new ArrayList<>(List.of(
                "data.id=[image_id]",
                "data.shape=[1, 16, 16]",
                "model.type=cnn",
                "model.layers=[{type = conv, filters = 8}, {type = pool}, {type = conv, filters = 16}, {type = pool},"
                        + " {type = dense, units = 32}]"));
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void cnnReachesNinetyFivePercentOnShapesAndItsModelScoresNewRows() throws Exception {
        JobSpec spec = TestSpecs.spec(
                images.toString(),
                "shape",
                cnn(
                                "data.features=[pixels]",
                                "train.epochs=8",
                                "train.batch-size=64",
                                "train.learning-rate=0.003",
                                "train.averaging-frequency=5",
                                "train.workers=2",
                                "train.early-stopping.patience=3")
                        .toArray(String[]::new));
        Path out = dir.resolve("run");
        NetworkFamily.Tested outcome = TrainJob.run(spark, spec, out).result(NetworkFamily.Tested.class);
        // Within 5 points of the shapes generator's published optimum (its maximum-likelihood classifier's 0.9975).
        double optimum = ((Number) Generators.byName("shapes").optimum().get("oracle_accuracy")).doubleValue();
        assertTrue(
                outcome.test().accuracy() >= optimum - 0.05,
                "test accuracy " + outcome.test().accuracy() + " against the optimum " + optimum);

        Dataset<Row> scored = Predictions.onTestSplit(
                spark, spec, out.resolve("model"), images, dir.resolve("predictions"), "image_id", "shape");
        assertEquals(outcome.test().examples(), scored.count());
        assertEquals(outcome.test().accuracy(), Predictions.accuracy(scored), 1e-12);
    }

    @Test
    void pixelColumnsAndAnArrayColumnGiveTheSameMinibatches() {
        int pixels = ShapesGenerator.SIZE * ShapesGenerator.SIZE;
        List<String> columns = new ArrayList<>(List.of("image_id", "shape"));
        for (int i = 0; i < pixels; i++) {
            columns.add("pixels[" + i + "] AS p" + i);
        }
        Path wide = dir.resolve("shapes-wide");
        spark.read()
                .parquet(images.toString())
                .selectExpr(columns.toArray(String[]::new))
                .write()
                .parquet(wide.toString());

        JobSpec fromArray = TestSpecs.spec(
                images.toString(), "shape", cnn("data.features=[pixels]").toArray(String[]::new));
        JobSpec fromColumns = TestSpecs.spec(wide.toString(), "shape", cnn().toArray(String[]::new));
        try (PreparedData a = DataPreparer.prepare(spark, fromArray, false);
                PreparedData b = DataPreparer.prepare(spark, fromColumns, false)) {
            assertEquals(pixels, a.plan().inputWidth());
            List<DataSet> x = a.train().collect();
            List<DataSet> y = b.train().collect();
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) {
                assertArrayEquals(
                        x.get(i).getFeatures().data().asFloat(),
                        y.get(i).getFeatures().data().asFloat());
                assertArrayEquals(
                        x.get(i).getLabels().data().asFloat(),
                        y.get(i).getLabels().data().asFloat());
            }
        }
    }
}
