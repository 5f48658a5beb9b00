package io.trainyard.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.data.features.TextPlan;
import io.trainyard.family.NetworkFamily;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.TextsGenerator;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text columns end to end on the {@code texts} generator (its Bayes accuracy is known): a bag of words, a GRU and a
 * CNN over token ids each come within a stated margin of it, and {@code predict} scores the test rows as the test
 * evaluation did; the vocabulary is the train split's alone; new text with unseen words scores.
 */
class TextIT {
    /** How far below the generator's Bayes accuracy (0.878) a network may finish on 8,000 rows (1,200 test rows). */
    private static final double MARGIN = 0.05;

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path texts;

    @BeforeAll
    static void generate() {
        spark = SparkTestSession.get();
        texts = GenerateJob.run(spark, Generators.byName("texts"), dir.resolve("texts"), 8_000, 5);
    }

    private static JobSpec spec(String... more) {
        List<String> all = new ArrayList<>(List.of(
                "data.id=[row_id]",
                "data.text.columns=[title, body]",
                "data.text.max-length=48",
                "train.batch-size=32",
                "train.epochs=12",
                "train.early-stopping.patience=2"));
        all.addAll(List.of(more));
        return TestSpecs.spec(texts.toString(), "sentiment", all.toArray(String[]::new));
    }

    private static void reachesBayesAndPredictAgrees(JobSpec spec, String name) throws Exception {
        Path out = dir.resolve(name);
        NetworkFamily.Tested outcome = TrainJob.run(spark, spec, out).result(NetworkFamily.Tested.class);
        double bayes = TextsGenerator.bayesAccuracy();
        assertTrue(
                outcome.test().accuracy() >= bayes - MARGIN,
                name + ": test accuracy " + outcome.test().accuracy() + " against Bayes " + bayes);
        Dataset<Row> scored = Predictions.onTestSplit(
                spark, spec, out.resolve("model"), texts, dir.resolve(name + "-predictions"), "row_id", "sentiment");
        assertEquals(outcome.test().examples(), scored.count());
        assertEquals(outcome.test().accuracy(), Predictions.accuracy(scored), 1e-12);
    }

    @Test
    void aBagOfWordsMlpReachesTheBayesAccuracyAndScoresNewTextWithUnseenWords() throws Exception {
        JobSpec spec = spec("model.type=mlp", "model.hidden=[32]");
        reachesBayesAndPredictAgrees(spec, "bow");

        // New text: words no training row held, an empty body, a null title.
        Path fresh = dir.resolve("fresh");
        spark.read()
                .parquet(texts.toString())
                .limit(50)
                .select(
                        col("row_id"),
                        when(col("row_id").mod(7).equalTo(0), lit(null).cast("string"))
                                .otherwise(concat(col("title"), lit(" Zyxquor blorft")))
                                .as("title"),
                        when(col("row_id").mod(5).equalTo(0), lit(""))
                                .otherwise(col("body"))
                                .as("body"))
                .write()
                .parquet(fresh.toString());
        var run = io.trainyard.testing.CapturedRun.of(
                "predict",
                "--model",
                dir.resolve("bow").resolve("model").toString(),
                "--input",
                fresh.toString(),
                "--out",
                dir.resolve("fresh-out").toString());
        assertEquals(0, run.exitCode(), run.err());
        Dataset<Row> out = spark.read().parquet(dir.resolve("fresh-out").toString());
        assertEquals(50, out.count());
        // Trained with data.nulls = fail, a row with a null text column is not scored; every other row is.
        long nullTitles = spark.read()
                .parquet(fresh.toString())
                .where(col("title").isNull())
                .count();
        assertTrue(nullTitles > 0);
        assertEquals(50 - nullTitles, out.where(col("prediction").isNotNull()).count());
    }

    @Test
    void aGruOverTokenIdsReachesTheBayesAccuracy() throws Exception {
        reachesBayesAndPredictAgrees(
                spec(
                        "model.type=rnn",
                        "model.cell=gru",
                        "model.hidden=[16]",
                        "model.embedding=16",
                        "train.learning-rate=0.005"),
                "gru");
    }

    /**
     * Dropout on the layer after the embedding keeps its mask per worker: two in-driver workers each train a clone of
     * the network on its own thread, and a recurrent layer read at its last step sits inside DL4J's
     * {@code LastTimeStep} wrapper, whose clone shared the wrapped layer (and its dropout mask) between the clones.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gru", "lstm"})
    void aRecurrentNetworkOverTextWithDropoutTrainsOnTwoWorkers(String cell) {
        JobSpec spec = spec(
                "model.type=rnn",
                "model.cell=" + cell,
                "model.hidden=[8]",
                "model.embedding=8",
                "model.readout=last",
                "model.dropout=0.3",
                "train.workers=2",
                "train.averaging-frequency=2",
                "train.epochs=1");
        NetworkFamily.Tested outcome =
                TrainJob.run(spark, spec, dir.resolve("dropout-" + cell)).result(NetworkFamily.Tested.class);
        assertTrue(
                outcome.test().accuracy() > 0.5,
                cell + ": test accuracy " + outcome.test().accuracy());
    }

    @Test
    void aCnnOverTokenIdsReachesTheBayesAccuracy() throws Exception {
        reachesBayesAndPredictAgrees(
                spec(
                        "model.type=cnn",
                        "model.embedding=16",
                        "model.dropout=0.5",
                        "train.learning-rate=0.002",
                        "train.early-stopping.patience=3"),
                "cnn");
    }

    @Test
    void theVocabularyIsFittedOnTheTrainSplitAlone() {
        // Each split gets a word of its own, in every one of its rows; only the train split's may be kept.
        Path marked = dir.resolve("marked");
        org.apache.spark.sql.Column split = col("row_id").mod(10);
        spark.read()
                .parquet(texts.toString())
                .withColumn(
                        "fold",
                        when(split.lt(7), lit("train"))
                                .when(split.lt(8), lit("validation"))
                                .otherwise(lit("test")))
                .withColumn("body", concat(col("body"), lit(" "), concat(lit("only"), col("fold"))))
                .write()
                .parquet(marked.toString());
        JobSpec spec = TestSpecs.spec(
                marked.toString(),
                "sentiment",
                "data.id=[row_id]",
                "data.text.columns=[title, body]",
                "data.text.vocabulary=100000",
                "split.column=fold");
        try (PreparedData data = DataPreparer.prepare(spark, spec, false)) {
            TextPlan text = data.plan().text();
            assertTrue(text.vocabulary().contains("onlytrain"));
            assertFalse(text.vocabulary().contains("onlyvalidation"));
            assertFalse(text.vocabulary().contains("onlytest"));
            assertEquals(data.manifest().total().train(), text.documents());
        }
    }

    @Test
    void tokensAreWordsOrCharactersJoinedAcrossColumnsAndTheVocabularyBreaksTiesByToken() {
        Dataset<Row> rows = spark.createDataFrame(
                List.of(
                        org.apache.spark.sql.RowFactory.create("Hello, World!", "It's 2024 ÉTÉ"),
                        org.apache.spark.sql.RowFactory.create("b a", "c")),
                new org.apache.spark.sql.types.StructType()
                        .add("title", "string")
                        .add("body", "string"));
        io.trainyard.spec.data.TextSpec words =
                spec("data.text.max-length=6").data().text();
        List<Row> tokens = rows.select(TextPlan.tokens(words, false)).collectAsList();
        assertEquals(
                List.of("hello", "world", "<sep>", "it", "s", "2024"),
                tokens.get(0).getList(0));
        assertEquals(List.of("b", "a", "<sep>", "c"), tokens.get(1).getList(0));
        io.trainyard.spec.data.TextSpec chars = spec(
                        "data.text.unit=chars", "data.text.lowercase=false", "data.text.columns=[title]")
                .data()
                .text();
        assertEquals(
                List.of("b", " ", "a"),
                rows.select(TextPlan.tokens(chars, false))
                        .collectAsList()
                        .get(1)
                        .getList(0));
        // A null column: null tokens (the row is dropped or refused), or empty text under data.nulls = impute.
        Dataset<Row> withNull = rows.selectExpr("CAST(NULL AS STRING) AS title", "body");
        assertTrue(withNull.select(TextPlan.tokens(words, false)).first().isNullAt(0));
        assertEquals(
                List.of("<sep>", "c"),
                withNull.select(TextPlan.tokens(words, true))
                        .collectAsList()
                        .get(1)
                        .getList(0));

        // a, b and c are each seen twice: ties go by token; min-count drops the once-seen.
        Dataset<Row> train = rows.select(TextPlan.tokens(words, false).as(TextPlan.TOKENS))
                .union(rows.limit(0).select(TextPlan.tokens(words, false)))
                .selectExpr(
                        "CASE WHEN size(__t) = 4 THEN array('b', 'a', 'c', 'a', 'b', 'c', 'z') ELSE __t END AS __t");
        TextPlan plan = io.trainyard.data.features.TrainStatsFitter.fitText(
                train, 2, spec("data.text.min-count=2").data().text(), TextPlan.Layout.BAG, false, 3);
        assertEquals(List.of("a", "b", "c"), plan.vocabulary());
        assertEquals(3, plan.offset());
        assertEquals(4, plan.width());
        // scikit-learn's smoothed idf over 2 documents: a, b and c are in one of them.
        assertEquals(Math.log(3.0 / 2.0) + 1, plan.idf().get(0), 1e-12);
        assertEquals(1.0, plan.idf().get(3), 0.0);
    }
}
