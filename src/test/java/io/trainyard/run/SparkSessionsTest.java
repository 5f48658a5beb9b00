package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings every session Trainyard starts is given, whatever its properties say. */
class SparkSessionsTest {
    @TempDir
    Path dir;

    @Test
    void variableSubstitutionIsOffEvenWhenThePropertiesTurnItOn() {
        SparkConf conf = new SparkConf(false).set(SparkSessions.VARIABLE_SUBSTITUTION, "true");
        assertEquals("false", SparkSessions.withRequiredSettings(conf, "t").get(SparkSessions.VARIABLE_SUBSTITUTION));
    }

    @Test
    void thePropertiesFileFillsWhatTheCommandLineDidNotSet() throws Exception {
        Path file = Files.writeString(
                dir.resolve("spark.properties"),
                "# a comment\nspark.sql.shuffle.partitions = 8\nspark.ui.showConsoleProgress false\n"
                        + "spark.app.name=from-file\nnot.spark=x\n");
        SparkConf conf = new SparkConf(false).set("spark.app.name", "from-command-line");
        SparkSessions.withPropertiesFile(conf, file.toString());
        assertEquals("8", conf.get("spark.sql.shuffle.partitions"));
        assertEquals("false", conf.get("spark.ui.showConsoleProgress"));
        assertEquals("from-command-line", conf.get("spark.app.name"));
        assertFalse(conf.contains("not.spark"));
        String refusal = assertThrows(
                        UserInputException.class,
                        () -> SparkSessions.withPropertiesFile(
                                conf, dir.resolve("missing").toString()))
                .getMessage();
        assertTrue(refusal.startsWith("--spark-properties: cannot read " + dir.resolve("missing")), refusal);
    }
}
