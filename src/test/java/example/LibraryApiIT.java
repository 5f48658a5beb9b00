package example;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainyard.api.RunResult;
import io.trainyard.api.SweepResult;
import io.trainyard.api.Trainyard;
import io.trainyard.api.TrainyardModel;
import io.trainyard.artifact.RunProvenance;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.SeasonalGenerator;
import io.trainyard.run.UserInputException;
import io.trainyard.testing.SparkTestSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library API as a user's project uses it: this class lives outside Trainyard's packages and calls only
 * {@code io.trainyard.api} (the generator and the tests' Spark session are only the fixture). The example in docs/api.md is
 * compiled and run as it stands.
 */
class LibraryApiIT {
    private static final Pattern EXAMPLE =
            Pattern.compile("<!-- library-example: (\\w+)\\.java -->\\s*```java\\n(.*?)\\n```", Pattern.DOTALL);

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path data;
    static RunResult run;

    @BeforeAll
    static void train() {
        // The tests' one session (the example's getOrCreate() finds it, as a job's finds spark-submit's).
        spark = SparkTestSession.get();
        data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("customers"), 3_000, 3);
        run = Trainyard.train(
                spark,
                Trainyard.spec(
                        "name = api\ndata { path = \"" + data
                                + "\", label = outcome, id = [customer_id], nulls = impute }\nmodel.hidden = [16]\n",
                        "train.epochs=3"),
                dir.resolve("api-run"));
    }

    @Test
    void theDocumentedExampleCompilesAndRuns() throws Exception {
        Matcher m = EXAMPLE.matcher(Files.readString(Path.of("docs/api.md")));
        assertTrue(m.find(), "docs/api.md has no library example");
        Path source = Files.createDirectories(dir.resolve("example-src")).resolve(m.group(1) + ".java");
        Files.writeString(source, m.group(2));
        Path classes = Files.createDirectories(dir.resolve("example-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int status = javac.run(
                null,
                diagnostics,
                diagnostics,
                "-cp",
                classpath,
                "-d",
                classes.toString(),
                "--release",
                "17",
                source.toString());
        assertEquals(0, status, "the docs/api.md example does not compile:\n" + diagnostics);

        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass(m.group(1)).getMethod("main", String[].class).invoke(null, (Object)
                    new String[] {data.toString(), dir.resolve("example-runs").toString()});
        } finally {
            System.setOut(console);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        console.print(out);
        assertTrue(out.matches("(?s).*kept epoch \\d+, test accuracy 0\\.\\d{4}.*"), out);
        assertTrue(out.matches("(?s).*customers under 30 predicted to churn: \\d+.*"), out);
        assertTrue(Files.exists(dir.resolve("example-runs/churn/model/model.json")));
    }

    @Test
    void transformKeepsEveryColumnAddsPredictsColumnsAndAgreesWithPredict() throws Exception {
        TrainyardModel model = TrainyardModel.load(run.modelDirectory());
        Dataset<Row> customers = spark.read().parquet(data.toString());
        Dataset<Row> scored = model.transform(customers);

        List<String> expected = new ArrayList<>(List.of(customers.columns()));
        expected.addAll(List.of("prediction", "probability_churn", "probability_stay", "probability_upgrade", "valid"));
        assertEquals(expected, List.of(scored.columns()));
        assertEquals(
                names(model.transformSchema(customers.schema()).fields()),
                names(scored.schema().fields()));
        assertEquals(List.of("churn", "stay", "upgrade"), model.classes());
        assertEquals("classification", model.task());

        Path written = dir.resolve("predictions");
        Trainyard.Predictions counts = Trainyard.predict(spark, run.modelDirectory(), data.toString(), written, false);
        assertEquals(customers.count(), counts.rows());
        assertEquals(customers.count(), scored.count());
        Map<Long, Row> byId = spark.read().parquet(written.toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getLong(r.fieldIndex("customer_id")), r -> r));
        for (Row r : scored.collectAsList()) {
            Row p = byId.get(r.getLong(r.fieldIndex("customer_id")));
            assertEquals(p.getString(p.fieldIndex("prediction")), r.getString(r.fieldIndex("prediction")));
            for (String c : List.of("probability_churn", "probability_stay", "probability_upgrade")) {
                assertEquals(p.getDouble(p.fieldIndex(c)), r.getDouble(r.fieldIndex(c)), 0.0, c);
            }
            // The caller's own columns come through untouched.
            assertEquals(p.getLong(p.fieldIndex("customer_id")), r.getLong(r.fieldIndex("customer_id")));
        }
        assertEquals(
                customers.select("age", "income", "segment").collectAsList(),
                scored.select("age", "income", "segment").collectAsList());
        // Over every row (70% of them trained on), transform's predictions are about as right as the run's test split.
        double accuracy =
                scored.where(col("prediction").equalTo(col("outcome"))).count() / (double) scored.count();
        assertEquals(run.test().accuracy(), accuracy, 0.06, "accuracy over every row, against the test split's");
    }

    @Test
    void theModelIsAPipelineStageThatSavesAndLoadsAndSurvivesJavaSerialisation() throws Exception {
        TrainyardModel model = TrainyardModel.load(run.modelDirectory());
        Dataset<Row> customers = spark.read().parquet(data.toString());
        SQLTransformer young = new SQLTransformer().setStatement("SELECT * FROM __THIS__ WHERE age < 30");
        PipelineModel fitted =
                new Pipeline().setStages(new PipelineStage[] {young, model}).fit(customers);
        Dataset<Row> viaPipeline = fitted.transform(customers);
        Dataset<Row> direct = model.transform(customers.where("age < 30"));
        assertEquals(
                direct.select("customer_id", "prediction").collectAsList(),
                viaPipeline.select("customer_id", "prediction").collectAsList());

        // Saved and loaded as Spark ML saves pipelines; the model's files travel with it and are checked again.
        Path saved = dir.resolve("saved-pipeline");
        fitted.write().overwrite().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        assertEquals(model.uid(), loaded.stages()[1].uid());
        assertEquals(viaPipeline.collectAsList(), loaded.transform(customers).collectAsList());
        Path stage = dir.resolve("saved-stage");
        model.write().save(stage.toString());
        TrainyardModel alone = TrainyardModel.read().load(stage.toString());
        assertEquals(
                direct.collectAsList(),
                alone.transform(customers.where("age < 30")).collectAsList());
        Files.writeString(stage.resolve("model").resolve("normalizer.json"), "{}");
        assertThrows(UserInputException.class, () -> TrainyardModel.read().load(stage.toString()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        TrainyardModel copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TrainyardModel) in.readObject();
        }
        assertEquals(model.uid(), copy.uid());
        assertEquals(
                direct.select("prediction").collectAsList(),
                copy.transform(customers.where("age < 30")).select("prediction").collectAsList());
    }

    @Test
    void aFrameWithAColumnTheModelAddsIsRefusedNamingIt() {
        TrainyardModel model = TrainyardModel.load(run.modelDirectory());
        Dataset<Row> clash = spark.read().parquet(data.toString()).withColumn("probability_stay", lit(0.5));
        UserInputException e = assertThrows(UserInputException.class, () -> model.transform(clash));
        assertTrue(e.getMessage().contains("'probability_stay'"), e.getMessage());
        Dataset<Row> missing = spark.read().parquet(data.toString()).drop("income");
        UserInputException gone = assertThrows(UserInputException.class, () -> model.transform(missing));
        assertTrue(gone.getMessage().contains("income"), gone.getMessage());
    }

    @Test
    void aSweepThroughTheApiPublishesItsBestRunWhoseModelScores() throws Exception {
        SweepResult sweep = Trainyard.sweep(
                spark,
                Trainyard.spec("name = api-sweep\ndata { path = \"" + data
                        + "\", label = outcome, id = [customer_id], nulls = impute }\nmodel.hidden = [8]\n"
                        + "sweep { space { \"train.learning-rate\" = {choice = [0.003, 0.03]} }, strategy = grid, "
                        + "max-epochs = 2, metric = accuracy }\n"),
                dir.resolve("api-sweep"));
        assertEquals(2, sweep.trials());
        assertEquals(2, sweep.succeeded());
        assertTrue(sweep.bestTrial().startsWith("trial-"), sweep.bestTrial());
        assertTrue(Files.exists(sweep.report()) && Files.exists(sweep.resultsCsv()));
        RunResult best = sweep.best();
        assertTrue(Files.exists(best.report()));
        assertTrue(best.test().accuracy() > 0.5, best.testSummary());
        long scored = best.model()
                .transform(spark.read().parquet(data.toString()))
                .where("valid")
                .count();
        assertEquals(3_000, scored);
        // The model carries its run's provenance: a copy of model/ alone still names its spec, data and seeds.
        RunProvenance origin = best.model().provenance();
        assertEquals("api-sweep", origin.name());
        JsonNode runJson = new ObjectMapper()
                .readTree(best.runDirectory().resolve("run.json").toFile());
        assertEquals(
                runJson.get("data").get("fingerprint").asText(), origin.data().fingerprint());
        assertEquals(
                runJson.get("seeds").get("model.seed").asLong(), origin.seeds().get("model.seed"));
        assertEquals(runJson.get("spec"), origin.spec());
    }

    @Test
    void aForecastersTransformGivesOneRowPerWindowAsPredictDoes() throws Exception {
        Path series = GenerateJob.run(
                spark, Generators.byName("seasonal"), dir.resolve("seasonal"), 6L * SeasonalGenerator.STEPS, 3);
        RunResult forecast = Trainyard.train(
                spark,
                Trainyard.spec(
                        "name = forecast\ntask = regression\ndata { path = \"" + series
                                + "\", label = value, sequence { "
                                + "series = series_id, order = ts, window = 24, horizon = 2, stride = 4, split = time } }\n"
                                + "model { type = rnn, cell = gru, hidden = [8] }\n",
                        "train.epochs=2"),
                dir.resolve("forecast-run"));
        TrainyardModel model = forecast.model();
        Dataset<Row> steps = spark.read().parquet(series.toString());
        Dataset<Row> windows = model.transform(steps);
        assertEquals(
                List.of(
                        "series_id:"
                                + steps.schema().apply("series_id").dataType().simpleString(),
                        "ts:timestamp",
                        "prediction:array<double>",
                        "valid:boolean"),
                names(windows.schema().fields()));
        assertEquals(
                names(model.transformSchema(steps.schema()).fields()),
                names(windows.schema().fields()));
        Path written = dir.resolve("forecast-predictions");
        Trainyard.Predictions counts =
                Trainyard.predict(spark, forecast.modelDirectory(), series.toString(), written, false);
        assertEquals(counts.rows(), windows.count());
        assertEquals(
                spark.read()
                        .parquet(written.toString())
                        .orderBy("series_id", "ts")
                        .collectAsList(),
                windows.orderBy("series_id", "ts").collectAsList());
    }

    private static List<String> names(StructField[] fields) {
        return Arrays.stream(fields)
                .map(f -> f.name() + ":" + f.dataType().simpleString())
                .toList();
    }
}
