package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainyard.artifact.ModelArtifact;
import io.trainyard.data.features.FeatureTransforms;
import io.trainyard.data.source.FeatureSelector;
import io.trainyard.data.source.ParquetSource;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.spec.data.TimestampPart;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.ModelFiles;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text other people wrote that reaches Spark or a model load: a Parquet column name holding Spark's {@code ${...}}
 * variables, and a model directory whose files disagree with each other (a plan's classes against the network's
 * outputs, an anomaly threshold on a classifier). Each is refused with one line and exit 2, by predict and export
 * alike.
 */
class ForeignTextIT {
    @TempDir
    static Path dir;

    static Path data;
    static Path model;

    @BeforeAll
    static void trainAThreeClassModel() throws Exception {
        data = GenerateJob.run(
                SparkTestSession.get(), Generators.byName("classification"), dir.resolve("data"), 900, 3);
        Path spec = Files.writeString(
                dir.resolve("job.conf"),
                "name = foreign\ndata { path = \"" + data
                        + "\", label = outcome, id = [customer_id], nulls = impute }\n"
                        + "train { epochs = 1, workers = 1 }\nmodel.hidden = [8]\n");
        CapturedRun trained = CapturedRun.of(
                "train", spec.toString(), "--out", dir.resolve("run").toString());
        assertEquals(ExitCode.OK, trained.exitCode(), trained.err());
        model = dir.resolve("run/model");
    }

    @Test
    void aColumnNameHoldingASparkVariableIsRefusedAndNeverExpanded() throws Exception {
        // Trainyard quoted the name, then Spark expanded ${system:user.home} inside the quotes: the model trained, and
        // predict printed the variable's value in its error line.
        SparkSession spark = SparkTestSession.get();
        StructType schema = new StructType()
                .add("ts${system:user.home}", DataTypes.TimestampType)
                .add("x", DataTypes.DoubleType)
                .add("y", DataTypes.StringType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(RowFactory.create(new Timestamp(i * 3_600_000L), (double) i, i % 2 == 0 ? "a" : "b"));
        }
        Path named = dir.resolve("named");
        spark.createDataFrame(rows, schema).write().parquet(named.toString());
        Path spec = Files.writeString(
                dir.resolve("named.conf"), "name = named\ndata { path = \"" + named + "\", label = y }\n");
        CapturedRun run = CapturedRun.of(
                "prepare", spec.toString(), "--out", dir.resolve("named-run").toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(
                "data.features: the name 'ts${system:user.home}' holds '${', which Spark would expand as a variable; "
                        + "rename the column or give the expression another alias",
                run.errorLine());
        assertFalse(run.err().contains(System.getProperty("user.home") + "`"), run.err());
        assertFalse(Files.exists(dir.resolve("named-run/run.json")));
    }

    @Test
    void timestampPartsAreBuiltWithoutSqlTextEvenWhereSubstitutionIsOn() {
        SparkSession spark = SparkTestSession.get();
        spark.conf().set("spark.sql.variable.substitute", "true");
        try {
            String name = "t${system:user.name}";
            Dataset<Row> frame = spark.createDataFrame(
                    List.of(RowFactory.create(Timestamp.valueOf("2024-03-05 17:45:00"))),
                    new StructType().add(name, DataTypes.TimestampType));
            Row parts = frame.select(
                            FeatureTransforms.timestampPart(TimestampPart.HOUR, frame.col(FeatureSelector.quote(name))),
                            FeatureTransforms.timestampPart(
                                    TimestampPart.DAY_OF_MONTH, frame.col(FeatureSelector.quote(name))))
                    .first();
            assertEquals(List.of(17, 5), List.of(parts.getInt(0), parts.getInt(1)));
            // Every source Trainyard opens turns substitution off on the session it was handed.
            ParquetSource.open(spark, data.toString());
            assertEquals("false", spark.conf().get("spark.sql.variable.substitute"));
        } finally {
            spark.conf().set("spark.sql.variable.substitute", "false");
        }
    }

    @Test
    void noCommandWritesInsideADatasetHoweverTheDataPathIsSpelled() throws Exception {
        // generate --out <dataset>/sub wrote a dataset inside another; FILE:/// and file://localhost/ paths hid the
        // overlap from the check, which refused only after the run folder was created inside the data.
        CapturedRun generated = CapturedRun.of(
                "generate", "classification", "--out", data.resolve("sub").toString(), "--rows", "10");
        assertEquals(ExitCode.BAD_INPUT, generated.exitCode(), generated.err());
        assertTrue(generated.errorLine().contains("lies inside the dataset " + data), generated.errorLine());
        assertFalse(Files.exists(data.resolve("sub")));
        for (String path : List.of("FILE://" + data, "file://localhost" + data)) {
            Path spec = Files.writeString(
                    dir.resolve("url.conf"),
                    "name = url\ndata { path = \"" + path + "\", label = outcome, id = [customer_id], "
                            + "nulls = impute }\ntrain { epochs = 1, workers = 1 }\n");
            CapturedRun run = CapturedRun.of(
                    "train", spec.toString(), "--out", data.resolve("run").toString());
            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
            assertEquals(
                    "--out " + data.resolve("run") + " lies inside the data.path " + path
                            + "; write the output somewhere apart from what the command reads",
                    run.errorLine());
            assertFalse(Files.exists(data.resolve("run")));
        }
    }

    @Test
    void aPlanWhoseClassesDisagreeWithTheManifestIsRefused() throws Exception {
        Path fewer = copyModel("fewer-classes");
        setClasses(fewer, List.of("churn", "stay"), false);
        assertEveryLoadRefused(
                fewer,
                "--model: " + fewer.resolve(ModelArtifact.MANIFEST) + " says task classification with classes "
                        + "[churn, stay, upgrade] but the feature plan has classification with [churn, stay]; "
                        + "refusing to load it");
    }

    @Test
    void classesThatDisagreeWithTheNetworksOutputsAreRefused() throws Exception {
        // Both files changed alike: 2 classes for a 3-output network dropped a class silently, 4 failed predict with
        // an IndexOutOfBoundsException while export named 4 classes for a 3-output graph.
        for (List<String> classes : List.of(List.of("churn", "stay"), List.of("churn", "stay", "upgrade", "leave"))) {
            Path changed = copyModel("classes-" + classes.size());
            setClasses(changed, classes, true);
            assertEveryLoadRefused(
                    changed,
                    "--model: " + changed.resolve(ModelArtifact.MANIFEST) + " says outputWidth 3 but the feature "
                            + "plan's label needs " + classes.size() + (classes.size() == 2 ? " (or 1)" : "")
                            + " outputs; refusing to load it");
        }
    }

    @Test
    void anAnomalyThresholdOnAClassifierIsRefused() throws Exception {
        Path changed = copyModel("anomaly-on-mlp");
        ObjectNode manifest = ModelFiles.manifest(changed);
        manifest.putObject("anomaly")
                .put("threshold", 0.5)
                .put("percentile", 99.0)
                .put("codeLayer", 0)
                .put("score", "mse");
        Files.writeString(changed.resolve(ModelArtifact.MANIFEST), Json.write(manifest));
        String line = "--model: " + changed.resolve(ModelArtifact.MANIFEST) + " says an anomaly threshold, but the "
                + "network is no autoencoder (";
        for (CapturedRun run : List.of(predict(changed), export(changed))) {
            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
            assertTrue(run.errorLine().startsWith(line), run.errorLine());
        }
    }

    private static void assertEveryLoadRefused(Path modelDir, String line) {
        for (CapturedRun run : List.of(predict(modelDir), export(modelDir))) {
            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
            assertEquals(line, run.errorLine());
        }
        assertFalse(Files.exists(dir.resolve("p-" + modelDir.getFileName())));
        assertFalse(Files.exists(dir.resolve("e-" + modelDir.getFileName())));
    }

    /** The plan's classes (and the manifest's too, when {@code manifestToo}), checksums recomputed as an attacker would. */
    private static void setClasses(Path modelDir, List<String> classes, boolean manifestToo) throws Exception {
        ObjectNode plan = (ObjectNode) Json.MAPPER.readTree(
                modelDir.resolve(ModelArtifact.FEATURE_PLAN).toFile());
        ArrayNode planClasses = plan.putArray("classes");
        classes.forEach(planClasses::add);
        Files.writeString(modelDir.resolve(ModelArtifact.FEATURE_PLAN), Json.write(plan));
        if (manifestToo) {
            ObjectNode manifest = ModelFiles.manifest(modelDir);
            ArrayNode manifestClasses = manifest.putArray("classes");
            classes.forEach(manifestClasses::add);
            Files.writeString(modelDir.resolve(ModelArtifact.MANIFEST), Json.write(manifest));
        }
        ModelFiles.rehash(modelDir, ModelArtifact.FEATURE_PLAN);
    }

    private static CapturedRun predict(Path modelDir) {
        return CapturedRun.predict(modelDir, data, dir.resolve("p-" + modelDir.getFileName()));
    }

    private static CapturedRun export(Path modelDir) {
        return CapturedRun.of(
                "export",
                "--model",
                modelDir.toString(),
                "--out",
                dir.resolve("e-" + modelDir.getFileName()).toString());
    }

    private static Path copyModel(String name) throws Exception {
        return ModelFiles.copy(model, dir.resolve(name));
    }
}
