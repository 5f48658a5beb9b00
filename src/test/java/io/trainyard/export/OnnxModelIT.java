package io.trainyard.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.artifact.ModelArtifact;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TextPlan;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.job.TrainJob;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.data.SequenceSpec;
import io.trainyard.spec.model.Loss;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained model's {@code model.onnx}, published by {@code train}, scores the model's whole test split in ONNX Runtime
 * as DL4J does (within 1e-5; a regression in the label's own units), fed the raw input vector; and
 * {@code ./trainyard export} writes the same graph with its input description. An autoencoder's graph gives
 * Trainyard's anomaly scores, flags and codes; a GAN generator's turns noise into rows in the data's units.
 */
class OnnxModelIT {
    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = SparkTestSession.get();
    }

    @Test
    void aClassifiersGraphScoresTheTestSplitAsDl4jAndExportWritesIt() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("cls"), 3_000, 5);
        JobSpec spec = TestSpecs.spec(
                data.toString(),
                "outcome",
                "data.id=[customer_id]",
                "data.nulls=impute",
                "model.hidden=[32, 16]",
                "train.epochs=3");
        Path model = trainedModel(spec, "cls");
        assertScoresAsDl4j(spec, model);

        Path export = dir.resolve("cls-export");
        CapturedRun run = CapturedRun.of("export", "--model", model.toString(), "--out", export.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertArrayEquals(
                Files.readAllBytes(model.resolve(ModelArtifact.ONNX)),
                Files.readAllBytes(export.resolve(ModelArtifact.ONNX)));
        JsonNode inputs =
                Json.MAPPER.readTree(export.resolve(RunFiles.ONNX_INPUTS).toFile());
        ModelArtifact.Loaded loaded = ModelArtifact.load(model);
        assertEquals(loaded.manifest().onnxInputs(), Json.MAPPER.convertValue(inputs.get("input_slots"), List.class));
        assertEquals(OnnxExport.PROBABILITIES, inputs.get("output").asText());

        CapturedRun inside = CapturedRun.of(
                "export",
                "--model",
                model.toString(),
                "--out",
                model.resolve("onnx").toString());
        assertEquals(ExitCode.BAD_INPUT, inside.exitCode());
        assertTrue(inside.errorLine().contains("lies inside the --model"), inside.errorLine());
    }

    @Test
    void aRegressionsGraphPredictsInTheLabelsUnits() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("prices"), dir.resolve("prices"), 4_000, 4);
        JobSpec spec = TestSpecs.spec(
                data.toString(),
                "target",
                "task=regression",
                "data.id=[row_id]",
                "data.nulls=impute",
                "model.hidden=[32, 16]",
                "train.epochs=3");
        Path model = trainedModel(spec, "prices");
        assertScoresAsDl4j(spec, model);
    }

    @Test
    void aCnnsGraphScoresTheTestSplitAsDl4j() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("shapes"), dir.resolve("shapes"), 2_000, 3);
        JobSpec spec = TestSpecs.spec(
                data.toString(),
                "shape",
                "data.id=[image_id]",
                "data.features=[pixels]",
                "data.shape=[1, 16, 16]",
                "model.type=cnn",
                "model.layers=[{type = conv, filters = 8}, {type = batchnorm}, {type = pool}, {type = conv, filters = "
                        + "16, padding = same}, {type = pool}, {type = dense, units = 32}, {type = dropout, rate = 0.2}]",
                "train.epochs=2",
                "train.batch-size=64",
                // The model the 1e-5 bound was set on: trained by two workers. One worker's (train.workers = auto on
                // 1,400 rows) has larger logits, and float32 convolutions then differ by 2e-5.
                "train.workers=2");
        Path model = trainedModel(spec, "shapes");
        assertScoresAsDl4j(spec, model);
    }

    @Test
    void anAutoencodersGraphScoresAnomaliesAsTrainyardDoes() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("manifold"), dir.resolve("manifold"), 4_000, 9);
        JobSpec spec = TestSpecs.spec(
                data.toString(),
                "is_anomaly",
                "data.id=[row_id]",
                "model.type=autoencoder",
                "model.hidden=[16]",
                "model.bottleneck=3",
                "model.activation=tanh",
                "model.normal-class=false",
                "train.epochs=3");
        Path model = trainedModel(spec, "manifold");
        ModelArtifact.Loaded loaded = ModelArtifact.load(model);
        var anomaly = loaded.manifest().anomaly();
        byte[] graph = Files.readAllBytes(model.resolve(ModelArtifact.ONNX));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double worst = 0;
        long flagged = 0;
        try (PreparedData prepared = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn());
                OrtSession session = env.createSession(graph, new OrtSession.SessionOptions())) {
            for (DataSet batch : prepared.test().collect()) {
                INDArray x = batch.getFeatures();
                double[] scores = AnomalyDetection.rowErrors(loaded.network(), x, Loss.MSE);
                INDArray code = loaded.network()
                        .feedForwardToLayer(anomaly.codeLayer(), x)
                        .get(anomaly.codeLayer() + 1);
                try (OnnxTensor input = OnnxTensor.createTensor(env, raw(x, loaded.plan(), loaded.normalizer()));
                        OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                    float[][] score = (float[][])
                            result.get(OnnxExport.ANOMALY_SCORE).orElseThrow().getValue();
                    boolean[][] flag = (boolean[][])
                            result.get(OnnxExport.ANOMALY).orElseThrow().getValue();
                    float[][] codes = (float[][])
                            result.get(OnnxExport.CODE).orElseThrow().getValue();
                    for (int r = 0; r < scores.length; r++) {
                        worst = Math.max(worst, Math.abs(scores[r] - score[r][0]) / Math.max(1, scores[r]));
                        for (int c = 0; c < codes[r].length; c++) {
                            worst = Math.max(worst, Math.abs(code.getDouble(r, c) - codes[r][c]));
                        }
                        if (Math.abs(scores[r] - anomaly.threshold()) > 1e-5) {
                            assertEquals(scores[r] > anomaly.threshold(), flag[r][0], "row " + r);
                        }
                        flagged += flag[r][0] ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(worst <= 1e-5, "ONNX Runtime differs from Trainyard's scores and codes by " + worst);
        assertTrue(flagged > 0, "the graph flags the test split's anomalies");

        CapturedRun run = CapturedRun.of(
                "export",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("manifold-export").toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        JsonNode inputs = Json.MAPPER.readTree(
                dir.resolve("manifold-export").resolve(RunFiles.ONNX_INPUTS).toFile());
        assertEquals(anomaly.threshold(), inputs.get("anomaly_threshold").asDouble(), 0);
    }

    @Test
    void lstmAndGruForecastersGraphsScoreTheTestWindowsAsDl4j() throws Exception {
        Path data = GenerateJob.run(
                spark,
                Generators.byName("seasonal"),
                dir.resolve("seasonal"),
                12L * io.trainyard.generate.SeasonalGenerator.STEPS,
                3);
        for (String cell : List.of("lstm", "gru")) {
            JobSpec spec = TestSpecs.seasonalForecast(data.toString(), cell, "model.hidden=[12, 8]", "train.epochs=2");
            assertTrue(spec.data().sequence().scale() == SequenceSpec.SequenceScale.WINDOW, "level-free by default");
            assertScoresAsDl4j(spec, trainedModel(spec, "forecast-" + cell));
        }
        // On the global scale, the graph takes the window as it is.
        JobSpec global = TestSpecs.seasonalForecast(
                data.toString(), "gru", "model.hidden=[8]", "train.epochs=1", "data.sequence.scale=global");
        assertScoresAsDl4j(global, trainedModel(global, "forecast-global"));
        // Divided by each window's spread, the graph computes the spread from the window and multiplies it back.
        JobSpec spread = TestSpecs.seasonalForecast(
                data.toString(), "gru", "model.hidden=[8]", "train.epochs=1", "data.sequence.scale=spread");
        assertScoresAsDl4j(spread, trainedModel(spread, "forecast-spread"));
    }

    @Test
    void aGansGeneratorGraphTurnsNoiseIntoRowsAsDl4jAndExportDescribesIt() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("mixture"), dir.resolve("mixture"), 3_000, 3);
        JobSpec spec = TestSpecs.spec(
                data.toString(),
                "",
                "data.features=[x, y]",
                "data.id=[row_id]",
                "model.type=gan",
                "model.activation=leakyrelu",
                "model.gan.noise=4",
                "model.gan.generator=[16, 16]",
                "model.gan.discriminator=[16]",
                "model.gan.samples=200",
                "train.epochs=2",
                "train.batch-size=64");
        Path model =
                TrainJob.run(spark, spec, dir.resolve("gan-run")).runDirectory().resolve("model");
        ModelArtifact.Loaded loaded = ModelArtifact.load(model);
        assertEquals(
                List.of("noise_0", "noise_1", "noise_2", "noise_3"),
                loaded.manifest().onnxInputs());
        INDArray noise = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 500, 4);
        INDArray expected = loaded.network().output(noise);
        List<ModelInput> scalars = loaded.plan().scalarInputs();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double worst = 0;
        try (OrtSession session = env.createSession(
                        Files.readAllBytes(model.resolve(ModelArtifact.ONNX)), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, noise.toFloatMatrix());
                OrtSession.Result result = session.run(Map.of(OnnxExport.NOISE, input))) {
            float[][] generated =
                    (float[][]) result.get(OnnxExport.GENERATED).orElseThrow().getValue();
            assertEquals(500, generated.length);
            for (int r = 0; r < generated.length; r++) {
                for (int i = 0; i < scalars.size(); i++) {
                    int slot = scalars.get(i).offset();
                    // Compared in normalised units, as DL4J writes them.
                    double got =
                            (generated[r][slot] - loaded.normalizer().center().get(i))
                                    / loaded.normalizer().scale().get(i);
                    worst = Math.max(worst, Math.abs(expected.getDouble(r, slot) - got));
                }
            }
        }
        assertTrue(worst <= 1e-5, "ONNX Runtime differs from DL4J by " + worst);

        Path export = dir.resolve("gan-export");
        CapturedRun run = CapturedRun.of("export", "--model", model.toString(), "--out", export.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        JsonNode inputs =
                Json.MAPPER.readTree(export.resolve(RunFiles.ONNX_INPUTS).toFile());
        assertEquals(OnnxExport.NOISE, inputs.get("input").asText());
        assertEquals(OnnxExport.GENERATED, inputs.get("output").asText());
        assertEquals("x", inputs.get("output_slots").get(0).asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "rnn lstm last", "rnn gru last", "rnn gru max", "rnn lstm mean", "cnn"})
    void aTextModelsGraphScoresTokenIdsAsDl4jAndExportDescribesThem(String network) throws Exception {
        if (texts == null) {
            texts = GenerateJob.run(spark, Generators.byName("texts"), dir.resolve("texts"), 1_500, 3);
        }
        String[] kind = network.split(" ");
        List<String> settings = new java.util.ArrayList<>(List.of(
                "data.id=[row_id]",
                "data.text.columns=[title, body]",
                "data.text.max-length=24",
                "model.type=" + kind[0],
                "model.hidden=[8]",
                "model.embedding=6",
                "train.epochs=2"));
        if (kind[0].equals("mlp")) {
            // A bag of words beside another feature: the graph takes both inputs.
            settings.add("data.features=[\"length(body) AS body_chars\"]");
        } else if (kind[0].equals("rnn")) {
            settings.add("model.cell=" + kind[1]);
            settings.add("model.readout=" + kind[2]);
        } else {
            settings.add("model.layers=[{type = conv, filters = 6, kernel = [1, 3]}, {type = dense, units = 5}]");
        }
        JobSpec spec = TestSpecs.spec(texts.toString(), "sentiment", settings.toArray(String[]::new));
        Path model = trainedModel(spec, "text-" + network.replace(' ', '-'));
        ModelArtifact.Loaded loaded = ModelArtifact.load(model);
        FeaturePlan plan = loaded.plan();
        TextPlan text = plan.text();

        // Each row as DL4J scores it (the plan's own inputs), and as token ids for the graph, worked out here from
        // inputs.json's rule: 0 padding, 1 unknown, 2 separator, 3 + i the vocabulary's i-th token.
        List<org.apache.spark.sql.Column> columns =
                new java.util.ArrayList<>(io.trainyard.data.RowEncoder.inputColumns(plan, loaded.normalizer()));
        List<org.apache.spark.sql.Row> rows = io.trainyard.data.RowEncoder.derive(
                        spark.read().parquet(texts.toString()), plan)
                .select(columns.toArray(org.apache.spark.sql.Column[]::new))
                .limit(200)
                .collectAsList();
        io.trainyard.data.RowEncoder encoder = new io.trainyard.data.RowEncoder(plan);
        Map<String, Integer> id = new java.util.HashMap<>();
        for (int i = 0; i < text.vocabulary().size(); i++) {
            id.put(text.vocabulary().get(i), 3 + i);
        }
        id.put("<sep>", 2);
        float[][] x = new float[rows.size()][plan.inputWidth()];
        long[][] tokens = new long[rows.size()][text.spec().maxLength()];
        float[][] scalars = new float[rows.size()][Math.max(1, text.offset())];
        int scalarCount = plan.scalarInputs().size();
        for (int r = 0; r < rows.size(); r++) {
            encoder.fill(x[r], 0, rows.get(r), 0);
            List<String> words = rows.get(r).getList(scalarCount);
            for (int k = 0; k < words.size(); k++) {
                tokens[r][k] = id.getOrDefault(words.get(k), 1);
            }
            for (int i = 0; i < text.offset(); i++) {
                // The graph takes a scalar in its own units and normalises it.
                scalars[r][i] = (float) (x[r][i] * loaded.normalizer().scale().get(i)
                        + loaded.normalizer().center().get(i));
            }
        }
        INDArray features = Nd4j.create(x);
        INDArray expected = plan.tokenSequence()
                ? loaded.network().output(features, false, io.trainyard.data.MinibatchEncoder.tokenMask(features), null)
                : loaded.network().output(features);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double worst = 0;
        try (OrtSession session = env.createSession(
                        Files.readAllBytes(model.resolve(ModelArtifact.ONNX)), new OrtSession.SessionOptions());
                OnnxTensor tokenInput = OnnxTensor.createTensor(env, tokens);
                OnnxTensor scalarInput = OnnxTensor.createTensor(env, scalars)) {
            Map<String, OnnxTensor> inputs = text.offset() > 0
                    ? Map.of("tokens", tokenInput, OnnxExport.INPUT, scalarInput)
                    : Map.of("tokens", tokenInput);
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] actual = (float[][])
                        result.get(OnnxExport.PROBABILITIES).orElseThrow().getValue();
                for (int r = 0; r < actual.length; r++) {
                    for (int c = 0; c < actual[r].length; c++) {
                        worst = Math.max(worst, Math.abs(actual[r][c] - expected.getDouble(r, c)));
                    }
                }
            }
        }
        assertTrue(worst <= 1e-5, network + ": ONNX Runtime differs from DL4J by " + worst);

        Path export = dir.resolve("text-export-" + network.replace(' ', '-'));
        CapturedRun run = CapturedRun.of("export", "--model", model.toString(), "--out", export.toString());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        JsonNode described =
                Json.MAPPER.readTree(export.resolve(RunFiles.ONNX_INPUTS).toFile());
        assertEquals("tokens", described.get("tokens").get("input").asText());
        assertEquals(
                text.vocabulary(),
                Json.MAPPER.readValue(
                        export.resolve(described.get("tokens").get("vocabulary").asText())
                                .toFile(),
                        List.class));
    }

    static Path texts;

    /** Trains {@code spec} into a run directory of its own; returns the published model directory. */
    private static Path trainedModel(JobSpec spec, String name) {
        return TrainJob.run(spark, spec, dir.resolve(name + "-run"))
                .runDirectory()
                .resolve("model");
    }

    /**
     * Over the whole test split, ONNX Runtime on the raw inputs within 1e-5 of DL4J on the prepared ones (a regression
     * compared in units of its target scale).
     */
    private static void assertScoresAsDl4j(JobSpec spec, Path model) throws Exception {
        ModelArtifact.Loaded loaded = ModelArtifact.load(model);
        FeaturePlan plan = loaded.plan();
        assertEquals(plan.inputWidth(), loaded.manifest().onnxInputs().size());
        byte[] graph = Files.readAllBytes(model.resolve(ModelArtifact.ONNX));
        String output = plan.target() == null ? OnnxExport.PROBABILITIES : OnnxExport.PREDICTION;
        double worst = 0;
        long rows = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (PreparedData data = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn());
                OrtSession session = env.createSession(graph, new OrtSession.SessionOptions())) {
            for (DataSet batch : data.test().collect()) {
                INDArray expected = loaded.network().output(batch.getFeatures());
                float[][] raw = raw(batch.getFeatures(), plan, loaded.normalizer());
                // A level-free forecaster's prepared window is relative to its last value: raise each row's to a
                // level of its own, which the graph must take off and add back to the forecast. A spread-free one's
                // also has a spread of 1: stretch each row's by a spread of its own, which the graph must measure,
                // divide by and multiply the forecast back by.
                float[] levels = new float[raw.length];
                float[] spreads = new float[raw.length];
                java.util.Arrays.fill(spreads, 1f);
                if (plan.windows() != null && plan.windows().levelFree()) {
                    int window = plan.windows().sequence().window();
                    int from = plan.windows().target() * window;
                    for (int r = 0; r < raw.length; r++) {
                        levels[r] = 10 + r % 7;
                        spreads[r] = plan.windows().spreadFree() ? 2 + r % 5 : 1;
                        for (int s = from; s < from + window; s++) {
                            raw[r][s] = raw[r][s] * spreads[r] + levels[r];
                        }
                    }
                }
                try (OnnxTensor input = OnnxTensor.createTensor(env, raw);
                        OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                    float[][] actual =
                            (float[][]) result.get(output).orElseThrow().getValue();
                    for (int r = 0; r < actual.length; r++) {
                        for (int c = 0; c < actual[r].length; c++) {
                            double want = expected.getDouble(r, c);
                            double got = (actual[r][c] - levels[r]) / spreads[r];
                            if (plan.target() != null) {
                                got = (got - plan.target().center())
                                        / plan.target().scale();
                            }
                            worst = Math.max(worst, Math.abs(want - got));
                        }
                    }
                    rows += actual.length;
                }
            }
            assertEquals(data.manifest().total().test(), rows);
        }
        assertTrue(worst <= 1e-5, "ONNX Runtime differs from DL4J by " + worst);
    }

    /** The prepared inputs back in their own units: what a user of the graph feeds it. */
    private static float[][] raw(INDArray normalised, FeaturePlan plan, NormalizerStats stats) {
        float[][] x = normalised.toFloatMatrix();
        List<ModelInput> scalars = plan.scalarInputs();
        for (float[] row : x) {
            for (int i = 0; i < scalars.size(); i++) {
                int slot = scalars.get(i).offset();
                row[slot] = (float)
                        (row[slot] * stats.scale().get(i) + stats.center().get(i));
            }
        }
        return x;
    }
}
