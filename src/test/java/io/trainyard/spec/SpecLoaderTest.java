package io.trainyard.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.NormalizeMethod;
import io.trainyard.spec.data.NullPolicy;
import io.trainyard.spec.data.SequenceSpec;
import io.trainyard.spec.data.Stratify;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.data.TimestampPart;
import io.trainyard.spec.model.LayerSpec;
import io.trainyard.spec.model.RecurrentCell;
import io.trainyard.spec.train.TrainSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    private static final String MINIMAL = "name = t\ndata { path = /tmp/x, label = y }\n";

    private static JobSpec parse(String hocon, String... overrides) {
        return SpecLoader.fromConfig(ConfigFactory.parseString(hocon), List.of(overrides));
    }

    private static String refusal(String hocon, String... overrides) {
        return assertThrows(SpecException.class, () -> parse(hocon, overrides)).getMessage();
    }

    @Test
    void minimalSpecTakesTheDocumentedDefaults() {
        JobSpec spec = parse(MINIMAL);
        assertEquals(Task.AUTO, spec.task());
        assertEquals(0.70, spec.split().train());
        assertEquals(0.15, spec.split().validation());
        assertEquals(0.15, spec.split().test());
        assertEquals(Stratify.AUTO, spec.split().stratify());
        assertEquals(NullPolicy.FAIL, spec.data().nulls());
        assertEquals(NormalizeMethod.STANDARD, spec.normalize());
        assertEquals(
                List.of(TimestampPart.HOUR, TimestampPart.DAY_OF_WEEK, TimestampPart.MONTH),
                spec.data().timestampParts());
        assertEquals(List.of(), spec.data().features());
    }

    @Test
    void textGoesToAnMlpRnnOrCnnAndIsOnlyText() {
        String text = MINIMAL + "data.text.columns = [body]\n";
        assertEquals(List.of("body"), parse(text).data().text().columns());
        // A CNN over text needs neither data.shape nor model.layers.
        assertEquals(32, parse(text, "model.type=cnn").model().embedding());
        assertEquals(
                "data.text.columns is read by model.type = mlp (a bag of words), rnn or cnn (token ids through "
                        + "model.embedding); model.type is autoencoder",
                refusal(text, "model.type=autoencoder"));
        assertEquals(
                "model.type = rnn over data.text reads the text columns only; leave data.features empty "
                        + "(model.type = mlp takes text beside other features)",
                refusal(text, "model.type=rnn", "data.features=[x]"));
        assertEquals(
                "data.text.columns: 'y' is also the label, a feature, an id, categorical or ignored; a text column is "
                        + "only text",
                refusal(text, "data.text.columns=[y]"));
        assertEquals(
                "data.text.columns does not go with data.sequence or data.shape: a text column is its own sequence "
                        + "of tokens",
                refusal(text, "data.shape=[1, 4]"));
        assertTrue(refusal(text, "data.text.max-length=0").startsWith("data.text.max-length"));
        assertTrue(refusal(text, "data.text.unit=sentences").startsWith("data.text.unit"));
    }

    @Test
    void noSpecKeyLooksLikeASecret() {
        // run.json's resolved spec is redacted and read back (a sweep resumes from it): a key whose name looks secret
        // would come back as "*****(redacted)".
        List<String> secretLooking = SpecLoader.defaults().entrySet().stream()
                .map(java.util.Map.Entry::getKey)
                .filter(io.trainyard.run.Secrets::looksSecret)
                .toList();
        assertEquals(List.of(), secretLooking);
    }

    private static final String CNN = MINIMAL + "model.type = cnn\ndata.shape = [1, 8, 8]\n";

    @Test
    void cnnLayersTakeTheirDefaultsAndShorthands() {
        JobSpec spec = parse(CNN + "model.layers = [{type = conv, filters = 4, kernel = 5, stride = [1, 2], "
                + "activation = tanh}, {type = pool, pool = avg}, {type = batchnorm}, {type = dropout, rate = 0.25}, "
                + "{type = dense, units = 16, dropout = 0.1}]\n");
        List<LayerSpec> layers = spec.model().layers();
        assertEquals(
                new LayerSpec(
                        LayerSpec.Kind.CONV,
                        4,
                        List.of(5, 5),
                        List.of(1, 2),
                        LayerSpec.Padding.SAME,
                        LayerSpec.Pooling.MAX,
                        org.nd4j.linalg.activations.Activation.TANH,
                        0),
                layers.get(0));
        assertEquals(List.of(2, 2), layers.get(1).kernel());
        assertEquals(List.of(2, 2), layers.get(1).stride());
        assertEquals(LayerSpec.Padding.VALID, layers.get(1).padding());
        assertEquals(LayerSpec.Pooling.AVG, layers.get(1).pooling());
        assertEquals(0.25, layers.get(3).rate());
        assertEquals(16, layers.get(4).size());
        assertEquals(0.1, layers.get(4).rate());
    }

    @Test
    void cnnLayerMistakesAreNamedByPosition() {
        assertEquals(
                "model.layers[1].kernal is not a key of a pool layer (keys: kernel, padding, pool, stride, type)",
                refusal(CNN + "model.layers = [{type = conv, filters = 4}, {type = pool, kernal = 3}]\n"));
        assertEquals(
                "model.layers[0].type is required: one of conv, pool, dense, batchnorm, dropout",
                refusal(CNN + "model.layers = [{filters = 4}]\n"));
        assertEquals(
                "model.layers[0]: a conv layer needs filters > 0, got 0",
                refusal(CNN + "model.layers = [{type = conv}]\n"));
        assertEquals(
                "model.type = cnn needs model.layers, e.g. [{type = conv, filters = 16}, {type = pool}]", refusal(CNN));
        assertEquals(
                "model.type = cnn needs data.shape = [channels, height, width], got [64]",
                refusal(MINIMAL
                        + "model.type = cnn\ndata.shape = [64]\nmodel.layers = [{type = conv, filters = 4}]\n"));
        assertEquals(
                "model.layers applies to model.type = cnn; model.type is mlp (an MLP or RNN takes model.hidden)",
                refusal(MINIMAL + "model.layers = [{type = conv, filters = 4}]\n"));
    }

    @Test
    void autoWorkersGrowWithTheTrainingSplitUpToTheParallelism() {
        TrainSpec train = parse(MINIMAL, "train.batch-size=128").train();
        assertEquals(1, train.workersFor(1_000, 2), "four minibatches: one worker");
        assertEquals(1, train.workersFor(128L * 63, 2), "63 minibatches");
        assertEquals(2, train.workersFor(128L * 64, 2), "32 minibatches per worker");
        assertEquals(8, train.workersFor(10_000_000, 8), "at most the parallelism");
        assertEquals(3, parse(MINIMAL, "train.workers=3").train().workersFor(1_000, 2), "a set number stands");
    }

    private static final String SERIES =
            MINIMAL + "model.type = rnn\ndata.sequence { series = s, order = t, window = 12 }\n";

    @Test
    void rnnAndSeriesWindowsTakeTheirKeys() {
        JobSpec spec = parse(SERIES, "model.cell=gru", "data.sequence.horizon=3", "data.sequence.split=time");
        assertEquals(RecurrentCell.GRU, spec.model().cell());
        assertEquals(
                new SequenceSpec(
                        "s", "t", 12, 3, 1, SequenceSpec.SequenceSplit.TIME, SequenceSpec.SequenceScale.WINDOW, 0),
                spec.data().sequence());
        assertEquals(
                List.of(4, 30),
                parse(MINIMAL + "model.type = rnn\ndata.shape = [4, 30]\n")
                        .data()
                        .shape());
        assertEquals(false, parse(MINIMAL).data().sequence().enabled());
    }

    @Test
    void rnnAndSeriesMistakesNameTheKey() {
        assertEquals(
                "model.type = rnn needs data.shape = [features, steps] (or long-format series windowed by "
                        + "data.sequence), got [64]",
                refusal(MINIMAL + "model.type = rnn\ndata.shape = [64]\n"));
        assertEquals(
                "model.type = rnn needs at least one recurrent layer in model.hidden, e.g. [32]",
                refusal(SERIES, "model.hidden=[]"));
        assertEquals("data.sequence.window must be >= 1, got 0", refusal(SERIES, "data.sequence.window=0"));
        assertEquals("data.sequence.horizon must be >= 1, got 0", refusal(SERIES, "data.sequence.horizon=0"));
        assertEquals(
                "data.sequence.scale = spread needs a data.sequence.window of at least 2 (the spread is the mean change "
                        + "between a window's steps), got 1",
                refusal(SERIES, "data.sequence.scale=spread", "data.sequence.window=1"));
        assertEquals(
                "data.sequence.order must be another column than data.sequence.series, got 's' for both",
                refusal(SERIES, "data.sequence.order=s"));
        assertEquals(
                "split.key does not apply to windowed series (data.sequence.split = series keeps each series in "
                        + "one split); got [s]",
                refusal(SERIES, "split.key=[s]"));
        assertEquals(
                "data.shape follows from data.sequence (features x window); leave it empty, got [1, 12]",
                refusal(SERIES, "data.shape=[1, 12]"));
        assertTrue(refusal(SERIES, "model.cell=rnn").startsWith("model.cell"));
    }

    @Test
    void ganAndAutoencoderTakeNoLabelAndRefuseWhatDoesNotFit() {
        String gan = "name = t\ndata.path = /x\nmodel.type = gan\n";
        assertEquals(8, parse(gan).model().gan().noise());
        assertEquals(false, parse(gan).data().labelled());
        assertEquals(
                "model.type = gan learns to generate rows of numeric features: leave data.label, data.sequence "
                        + "and data.shape unset",
                refusal(gan, "data.label=y"));
        assertEquals(
                "model.gan.label-smoothing must be in (0.5, 1], got 0.3",
                refusal(gan, "model.gan.label-smoothing=0.3"));
        assertEquals(
                "train.early-stopping.metric = accuracy does not apply to model.type = gan: a GAN is measured by "
                        + "the mmd between generated and validation rows (auto)",
                refusal(gan, "train.early-stopping.metric=accuracy"));
        assertEquals(
                "train.early-stopping.metric = mmd applies to model.type = gan only",
                refusal("name = t\ndata { path = /x, label = y }\n", "train.early-stopping.metric=mmd"));
        String autoencoder = "name = t\ndata.path = /x\nmodel.type = autoencoder\n";
        assertEquals(List.of(64, 32), parse(autoencoder).model().hidden());
        assertEquals(List.of(32, 64), parse(autoencoder).model().autoencoder().decoderFor(List.of(64, 32)));
        assertEquals(
                "model.type = autoencoder reconstructs its inputs: model.loss must be mse or mae (or auto), got bce",
                refusal(autoencoder, "model.loss=bce"));
        assertEquals(
                "model.threshold-percentile must be in (0, 100), got 100.0",
                refusal(autoencoder, "model.threshold-percentile=100"));
    }

    @Test
    void overridesWinOverTheJobFile() {
        JobSpec spec = parse(
                MINIMAL + "train.batch-size = 64\n",
                "train.batch-size=32",
                "data.features=[a, \"hour(ts) AS h\"]",
                "split.seed=7",
                "data.path=s3a://bucket/some:path");
        assertEquals(32, spec.train().batchSize());
        assertEquals(List.of("a", "hour(ts) AS h"), spec.data().features());
        assertEquals(7, spec.split().seed());
        assertEquals("s3a://bucket/some:path", spec.data().path());
    }

    @Test
    void rejectsNegativeBatchSizeNamingKeyAndValue() {
        assertEquals("train.batch-size must be > 0, got -4", refusal(MINIMAL, "train.batch-size=-4"));
    }

    @Test
    void rejectsUnknownKeyWithSuggestion() {
        String message = refusal(MINIMAL + "data.lable = z\n");
        assertTrue(message.startsWith("unknown key 'data.lable'"), message);
        assertTrue(message.endsWith("did you mean 'data.label'?"), message);
    }

    @Test
    void rejectsSharesThatDoNotSumToOne() {
        assertEquals(
                "split.train + split.validation + split.test must sum to 1, got 1.1",
                refusal(MINIMAL, "split.train=0.8"));
    }

    @Test
    void rejectsShareOutsideUnitInterval() {
        assertEquals("split.test must be in (0, 1), got 0.0", refusal(MINIMAL, "split.test=0"));
    }

    @Test
    void rejectsBadEnumValueListingTheChoices() {
        assertEquals("data.nulls must be one of fail, drop, impute; got 'skip'", refusal(MINIMAL, "data.nulls=skip"));
        assertEquals(
                "normalize must be one of standard, minmax, none; got 'zscore'", refusal(MINIMAL, "normalize=zscore"));
    }

    @Test
    void rejectsWrongTypeNamingKey() {
        assertTrue(refusal(MINIMAL, "split.train=lots").startsWith("split.train must be a number, got \"lots\""));
    }

    @Test
    void rejectsMissingRequiredKey() {
        assertEquals(
                "data.label is required (only model.type = autoencoder or gan trains without a " + "label)",
                refusal("name = t\ndata.path = /x\n"));
    }

    @Test
    void rejectsNameThatCouldEscapeTheRunsDirectory() {
        assertTrue(refusal(MINIMAL, "name=\"../etc\"").startsWith("name must be letters, digits"));
    }

    @Test
    void rejectsStratifiedRegression() {
        assertEquals(
                "split.stratify = true needs task = classification, got task = regression",
                refusal(MINIMAL, "task=regression", "split.stratify=true"));
    }

    @Test
    void rejectsDuplicateFeature() {
        assertEquals("data.features lists 'a' twice", refusal(MINIMAL, "data.features=[a, b, a]"));
    }

    @Test
    void rejectsMalformedOverride() {
        assertEquals("--set expects key=value, got 'train.epochs'", refusal(MINIMAL, "train.epochs"));
    }

    @Test
    void renderedSpecReadsBackToTheSameSpec(@TempDir Path dir) throws Exception {
        JobSpec spec = parse(MINIMAL, "split.seed=9", "data.nulls=impute");
        Path file = dir.resolve("resolved.conf");
        Files.writeString(file, spec.render());
        JobSpec again = SpecLoader.load(file, List.of());
        assertEquals(spec, again);
    }

    @Test
    void missingSpecFileIsNamed() {
        String message = assertThrows(
                        SpecException.class, () -> SpecLoader.load(Path.of("/nonexistent/job.conf"), List.of()))
                .getMessage();
        assertEquals("spec file not found: /nonexistent/job.conf", message);
    }

    @Test
    void everyJobFileInJobsIsAValidSpec() throws Exception {
        try (var files = Files.list(Path.of("jobs"))) {
            List<Path> specs = files.filter(p -> p.toString().endsWith(".conf")).toList();
            assertTrue(!specs.isEmpty());
            for (Path p : specs) {
                JobSpec spec = SpecLoader.load(p, List.of());
                assertTrue(!spec.name().isEmpty(), p.toString());
            }
        }
    }

    @Test
    void networksOfMoreThanAHundredLayersAreRefusedBeforeAnyWork() {
        // 3,000 CNN layers passed the memory check and trained for minutes.
        String conv = "{type = conv, filters = 1, kernel = 1}, ".repeat(3_000);
        assertEquals(
                "model.layers lists 3000 layers; Trainyard takes at most 100",
                refusal(CNN + "model.layers = [" + conv + "]\n"));
        String widths = "2, ".repeat(101);
        assertEquals(
                "model.hidden lists 101 layers; Trainyard takes at most 100",
                refusal(MINIMAL + "model.hidden = [" + widths + "]\n"));
        assertEquals(
                "model.gan.generator lists 101 layers; Trainyard takes at most 100",
                refusal("name = g\ndata.path = /x\nmodel.type = gan\nmodel.gan.generator = [" + widths + "]\n"));
        parse(MINIMAL + "model.hidden = [" + "2, ".repeat(100) + "]\n");
    }
}
