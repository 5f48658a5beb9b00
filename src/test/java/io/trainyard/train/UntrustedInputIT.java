package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainyard.artifact.ModelArtifact;
import io.trainyard.artifact.ModelSignature;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.Json;
import io.trainyard.testing.CapturedRun;
import io.trainyard.testing.ModelFiles;
import io.trainyard.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of a spec, a data folder or a model directory written by someone else: SQL that calls Java, outputs
 * pointed at inputs or at folders Trainyard did not write, a network too large for memory, tampered models. Each
 * is refused with one line and its exit code, and nothing outside the run is created, changed or deleted.
 */
class UntrustedInputIT {
    @TempDir
    static Path dir;

    static Path data;
    static Path model;
    /** A file name no test run shares, so "the payload created no file" cannot see another run's file. */
    static final String MARK = "trainyard-pwned-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void trainAModel() throws Exception {
        data = GenerateJob.run(
                SparkTestSession.get(), Generators.byName("classification"), dir.resolve("data"), 1_500, 5);
        CapturedRun trained = CapturedRun.of(
                "train", spec("", "").toString(), "--out", dir.resolve("run").toString());
        assertEquals(ExitCode.OK, trained.exitCode(), trained.err());
        model = dir.resolve("run/model");
    }

    @AfterEach
    void clearKey() {
        System.clearProperty(ModelSignature.KEY_FILE_PROPERTY);
    }

    /** A spec over the generated data; {@code features} is a HOCON list body, {@code extra} more lines. */
    private static Path spec(String features, String extra) throws IOException {
        Path spec = Files.createTempFile(dir, "spec", ".conf");
        Files.writeString(
                spec,
                "name = untrusted\ndata { path = \"" + data + "\", label = outcome, id = [customer_id], "
                        + "nulls = impute" + (features.isEmpty() ? "" : ", features = [" + features + "]") + " }\n"
                        + "train { epochs = 1, workers = 1 }\nmodel.hidden = [8]\n" + extra + "\n");
        return spec;
    }

    /** The payload: on an unguarded Trainyard it creates a file named after {@link #MARK} in the temp folder. */
    private static String payload(String function) {
        return "\"" + function + "('java.io.File', 'createTempFile', '" + MARK + "', '.x') AS x\"";
    }

    private static void assertNoPayloadRan() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().contains(MARK)).toList());
        }
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().contains(MARK)).toList());
        }
    }

    private static void assertRefused(CapturedRun run, int exitCode, String errorStart) {
        assertEquals(exitCode, run.exitCode(), run.err());
        assertEquals(
                1, run.err().lines().filter(l -> l.startsWith("trainyard:")).count(), run.err());
        String line = run.err()
                .lines()
                .filter(l -> l.startsWith("trainyard:"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.contains(errorStart), line);
    }

    @Test
    void javaCallsInASpecRunNothingAndExit2() throws Exception {
        Path out = dir.resolve("refused-run");
        for (String command : List.of("validate", "prepare", "train", "sweep")) {
            List<String> args = new ArrayList<>(List.of(
                    command,
                    spec(
                                    "age, " + payload("java_method"),
                                    "sweep.space { \"train.learning-rate\" = {choice = [0.01, 0.02]} }")
                            .toString()));
            if (!command.equals("validate")) {
                args.addAll(List.of("--out", out.toString()));
            }
            assertRefused(
                    CapturedRun.of(args.toArray(String[]::new)),
                    ExitCode.BAD_INPUT,
                    "data.features: 'java_method('java.io.File', 'createTempFile', '" + MARK);
        }
        assertRefused(
                CapturedRun.of(
                        "prepare",
                        spec("", "data.label = " + payload("reflect")).toString(),
                        "--out",
                        out.toString()),
                ExitCode.BAD_INPUT,
                "calls reflect, which Trainyard refuses: it calls Java methods");
        assertRefused(
                CapturedRun.of(
                        "prepare",
                        spec("", "split.key = [" + payload("try_reflect") + "]").toString(),
                        "--out",
                        out.toString()),
                ExitCode.BAD_INPUT,
                "split.key: '");
        assertNoPayloadRan();
        assertFalse(Files.exists(out.resolve("run.json")));
    }

    @Test
    void javaCallsInWindowedSeriesRunNothing() throws Exception {
        StructType schema = new StructType()
                .add("s", DataTypes.StringType)
                .add("t", DataTypes.IntegerType)
                .add("v", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create("s" + i % 4, i, (double) i));
        }
        Path series = dir.resolve("series");
        SparkTestSession.get().createDataFrame(rows, schema).write().parquet(series.toString());
        Path spec = Files.writeString(
                dir.resolve("series.conf"),
                "name = series\ndata { path = \"" + series
                        + "\", label = v, features = [v, \"length("
                        + payload("java_method").replace("\"", "").replace(" AS x", "")
                        + ")\"], sequence { series = s, order = t, window = 3 } }\n");
        // Numeric, so nothing but the allow-list stops it before the windows are cut.
        assertRefused(
                CapturedRun.of(
                        "prepare",
                        spec.toString(),
                        "--out",
                        dir.resolve("series-run").toString()),
                ExitCode.BAD_INPUT,
                "calls java_method, which Trainyard refuses: it calls Java methods");
        assertNoPayloadRan();
    }

    @Test
    void javaCallsInsideAModelRunNothingAndExit2() throws Exception {
        Path evil = copyModel("evil-model");
        ObjectNode plan = (ObjectNode)
                Json.MAPPER.readTree(evil.resolve(ModelArtifact.FEATURE_PLAN).toFile());
        ((ObjectNode) plan.withArray("features").get(0))
                .put("expression", payload("java_method").replace("\"", ""));
        Files.writeString(evil.resolve(ModelArtifact.FEATURE_PLAN), Json.write(plan));
        rehash(evil, ModelArtifact.FEATURE_PLAN);
        Path out = dir.resolve("evil-predictions");
        assertRefused(
                CapturedRun.of(
                        "predict", "--model", evil.toString(), "--input", data.toString(), "--out", out.toString()),
                ExitCode.BAD_INPUT,
                "--model: " + evil.resolve(ModelArtifact.FEATURE_PLAN) + " (feature 'age'): 'java_method(");
        assertNoPayloadRan();
        assertFalse(Files.exists(out));
    }

    @Test
    void predictNeverWritesOverItsInputsOrAFolderItDidNotWrite() throws Exception {
        Map<Path, String> before = snapshot(data);
        Path unrelated = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(unrelated.resolve("mine.txt"), "precious");
        for (Path out : List.of(data, data.resolve("inside"), unrelated, dir, model)) {
            assertRefused(
                    CapturedRun.of(
                            "predict",
                            "--model",
                            model.toString(),
                            "--input",
                            data.toString(),
                            "--out",
                            out.toString()),
                    ExitCode.BAD_INPUT,
                    "--out " + out);
        }
        assertEquals(before, snapshot(data));
        assertEquals("precious", Files.readString(unrelated.resolve("mine.txt")));
        // Its own earlier output is replaced.
        Path predictions = dir.resolve("predictions");
        for (int i = 0; i < 2; i++) {
            CapturedRun run = CapturedRun.of(
                    "predict",
                    "--model",
                    model.toString(),
                    "--input",
                    data.toString(),
                    "--out",
                    predictions.toString());
            assertEquals(ExitCode.OK, run.exitCode(), run.err());
        }
    }

    @Test
    void trainAndGenerateNeverTakeAFolderTheyDidNotWrite() throws Exception {
        Path unrelated = Files.createDirectories(dir.resolve("home"));
        Files.writeString(unrelated.resolve("mine.txt"), "precious");
        assertRefused(
                CapturedRun.of("train", spec("", "").toString(), "--out", unrelated.toString()),
                ExitCode.BAD_INPUT,
                "--out " + unrelated + " is not empty and was not written by Trainyard");
        assertRefused(
                CapturedRun.of(
                        "train",
                        spec("", "").toString(),
                        "--out",
                        data.resolve("run").toString()),
                ExitCode.BAD_INPUT,
                "lies inside the data.path");
        assertRefused(
                CapturedRun.of("generate", "classification", "--out", unrelated.toString(), "--rows", "10"),
                ExitCode.BAD_INPUT,
                "--out " + unrelated + " already exists");
        try (Stream<Path> files = Files.list(unrelated)) {
            assertEquals(List.of(unrelated.resolve("mine.txt")), files.toList());
        }
    }

    @Test
    void aNetworkTooLargeForMemoryIsRefusedAtOnceWithExit5() throws Exception {
        Path out = dir.resolve("huge");
        long start = System.nanoTime();
        CapturedRun run =
                CapturedRun.of("train", spec("", "model.hidden = [100000000]").toString(), "--out", out.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertRefused(run, ExitCode.CONFIGURATION, "model.hidden = [100000000]: training needs about ");
        assertTrue(run.err().contains("more than its limit of"), run.err());
        assertTrue(seconds < 10, "refused after " + seconds + " s");
        assertFalse(Files.exists(out));
    }

    @Test
    void aSignedModelIsRefusedOnceAnyFileChangesOrTheKeyDiffers() throws Exception {
        Path key = Files.writeString(dir.resolve("model.key"), "0123456789abcdef0123456789abcdef\n");
        System.setProperty(ModelSignature.KEY_FILE_PROPERTY, key.toString());
        Path run = dir.resolve("signed-run");
        assertEquals(
                ExitCode.OK,
                CapturedRun.of("train", spec("", "").toString(), "--out", run.toString())
                        .exitCode());
        Path signed = run.resolve("model");
        assertTrue(Files.exists(signed.resolve(ModelSignature.FILE)));
        assertEquals(ExitCode.OK, predict(signed).exitCode());

        // model.json is covered too: raising a limit there and recomputing nothing is caught.
        Path tampered = copy(signed, "tampered");
        Files.writeString(
                tampered.resolve(ModelArtifact.MANIFEST),
                Files.readString(tampered.resolve(ModelArtifact.MANIFEST)).replace("\"task\"", " \"task\""));
        assertRefused(
                predict(tampered),
                ExitCode.BAD_INPUT,
                tampered.resolve(ModelSignature.FILE) + " does not match the model's files under this key");
        // So is the ONNX graph Trainyard itself never reads: export checks the same signature before it writes one.
        assertTrue(Files.exists(signed.resolve(ModelArtifact.ONNX)));
        Path graph = copy(signed, "graph");
        Files.write(graph.resolve(ModelArtifact.ONNX), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertRefused(predict(graph), ExitCode.BAD_INPUT, "does not match the model's files under this key");
        assertRefused(
                CapturedRun.of(
                        "export",
                        "--model",
                        graph.toString(),
                        "--out",
                        dir.resolve("graph-export").toString()),
                ExitCode.BAD_INPUT,
                "does not match the model's files under this key");
        Path added = copy(signed, "added");
        Files.writeString(added.resolve("extra.json"), "{}");
        assertRefused(predict(added), ExitCode.BAD_INPUT, "does not match the model's files under this key");
        Path unsigned = copy(signed, "unsigned");
        Files.delete(unsigned.resolve(ModelSignature.FILE));
        assertRefused(predict(unsigned), ExitCode.BAD_INPUT, "--model: " + unsigned + " is not signed (no model.sig)");

        Files.writeString(key, "another key, also long enough");
        assertRefused(predict(signed), ExitCode.BAD_INPUT, "does not match the model's files under this key");
    }

    @Test
    void aModelWhoseFilesDisagreeIsRefused() throws Exception {
        Path bigger = copyModel("bigger");
        ObjectNode manifest = (ObjectNode)
                Json.MAPPER.readTree(bigger.resolve(ModelArtifact.MANIFEST).toFile());
        manifest.put("inputWidth", 1_000_000);
        Files.writeString(bigger.resolve(ModelArtifact.MANIFEST), Json.write(manifest));
        assertRefused(predict(bigger), ExitCode.BAD_INPUT, "says inputWidth 1000000 but the feature plan gives");
    }

    private static CapturedRun predict(Path modelDir) {
        return CapturedRun.predict(modelDir, data, dir.resolve("p-" + modelDir.getFileName()));
    }

    private static Path copyModel(String name) throws IOException {
        return copy(model, name);
    }

    private static Path copy(Path from, String name) throws IOException {
        return ModelFiles.copy(from, dir.resolve(name));
    }

    private static void rehash(Path modelDir, String file) throws IOException {
        ModelFiles.rehash(modelDir, file);
    }

    private static Map<Path, String> snapshot(Path root) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(
                        f,
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }
}
