package io.trainyard.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
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
        assertEquals(List.of(TimestampPart.HOUR, TimestampPart.DAY_OF_WEEK, TimestampPart.MONTH),
                spec.data().timestampParts());
        assertEquals(List.of(), spec.data().features());
    }

    @Test
    void overridesWinOverTheJobFile() {
        JobSpec spec = parse(MINIMAL + "train.batch-size = 64\n", "train.batch-size=32", "data.features=[a, \"hour(ts) AS h\"]",
                "split.seed=7", "data.path=s3a://bucket/some:path");
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
        assertEquals("split.train + split.validation + split.test must sum to 1, got 1.1",
                refusal(MINIMAL, "split.train=0.8"));
    }

    @Test
    void rejectsShareOutsideUnitInterval() {
        assertEquals("split.test must be in (0, 1), got 0.0", refusal(MINIMAL, "split.test=0"));
    }

    @Test
    void rejectsBadEnumValueListingTheChoices() {
        assertEquals("data.nulls must be one of fail, drop, impute; got 'skip'", refusal(MINIMAL, "data.nulls=skip"));
        assertEquals("normalize must be one of standard, minmax, none; got 'zscore'", refusal(MINIMAL, "normalize=zscore"));
    }

    @Test
    void rejectsWrongTypeNamingKey() {
        assertTrue(refusal(MINIMAL, "split.train=lots").startsWith("split.train must be a number, got \"lots\""));
    }

    @Test
    void rejectsMissingRequiredKey() {
        assertEquals("data.label is required", refusal("name = t\ndata.path = /x\n"));
    }

    @Test
    void rejectsNameThatCouldEscapeTheRunsDirectory() {
        assertTrue(refusal(MINIMAL, "name=\"../etc\"").startsWith("name must be letters, digits"));
    }

    @Test
    void rejectsStratifiedRegression() {
        assertEquals("split.stratify = true needs task = classification, got task = regression",
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
        String message = assertThrows(SpecException.class,
                () -> SpecLoader.load(Path.of("/nonexistent/job.conf"), List.of())).getMessage();
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
}
