package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.MixtureGenerator;
import io.trainyard.spec.JobSpec;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GAN on a 2-D mixture: trained by parameter averaging, its generated rows near the data and on every mode. */
class GanIT {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path mixture;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        mixture = GenerateJob.run(spark, Generators.byName("mixture"), dir.resolve("mixture"), 12_000, 4);
    }

    @Test
    void generatedRowsMatchTheMixtureFarBetterThanUntrainedAndCoverEveryComponent() throws Exception {
        JobSpec spec = TestSpecs.spec(mixture.toString(), "", "data.features=[x, y]", "data.id=[row_id]",
                "model.type=gan", "model.activation=leakyrelu", "model.gan.noise=4", "model.gan.generator=[32, 32]",
                "model.gan.discriminator=[32, 32]", "model.gan.generator-learning-rate=0.001",
                "model.gan.discriminator-learning-rate=0.001", "model.gan.samples=4000", "train.epochs=10",
                "train.batch-size=64", "train.beta1=0.5", "train.averaging-frequency=5", "train.workers=2",
                "train.early-stopping.patience=0");
        Path out = dir.resolve("gan");
        GanJob.Outcome outcome = GanJob.run(spark, spec, out);
        assertTrue(outcome.testMmd() < 0.2 * outcome.untrainedTestMmd(),
                "test mmd^2 " + outcome.testMmd() + ", untrained " + outcome.untrainedTestMmd());

        List<Row> generated = spark.read().parquet(out.resolve(GanJob.GENERATED).toString()).collectAsList();
        assertEquals(4000, generated.size());
        assertEquals(List.of("x", "y"), List.of(generated.get(0).schema().fieldNames()));
        // Every component holds a fair share of the generated rows within three of its standard deviations
        // (a quarter each when the mixture is matched; a collapsed generator leaves some near none).
        for (double[] centre : MixtureGenerator.CENTRES) {
            long near = generated.stream().filter(r -> Math.hypot(r.getDouble(0) - centre[0],
                    r.getDouble(1) - centre[1]) < 3 * MixtureGenerator.SD).count();
            assertTrue(near > 0.15 * generated.size(), "component at " + centre[0] + ", " + centre[1] + " has " + near
                    + " of " + generated.size() + " generated rows");
        }
        assertTrue(Files.exists(out.resolve("model/network.zip")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }
}
