package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.testing.ChildJvm;
import io.trainyard.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets given in Spark settings, JVM options and URLs never reach the console, logs or the run directory. */
class SecretsIT {
    private static final String SECRET = "hunter2-d41d8cd9";
    /** Every form of secret the redaction knows, each holding {@link #SECRET}. */
    private static final List<String> SECRET_SETTINGS = List.of(
            "-Dspark.hadoop.fs.s3a.secret.key=" + SECRET,
            "-Dspark.executorEnv.DB_PASSWORD=" + SECRET,
            "-Dspark.executor.extraJavaOptions=-Ddb.password=" + SECRET,
            "-Dspark.hadoop.fs.azure.sas.data.acct.blob.core.windows.net=sv=2022&sig=" + SECRET,
            "-Dspark.hadoop.fs.s3a.bucket.b.endpoint=https://reader:ab/" + SECRET + "@host/",
            "-Dspark.executorEnv.HEADER=Authorization: Bearer " + SECRET,
            "-Dspark.executorEnv.APP_CONFIG={\"user\": \"me\", \"password\": \"two " + SECRET + "\"}",
            "-Dspark.driver.extraJavaOptions=-Dapp.token='quoted " + SECRET + "'");

    @TempDir
    Path dir;

    private String run(Path log, String... args) throws Exception {
        Process cli = ChildJvm.start(log, SECRET_SETTINGS, args);
        assertTrue(cli.waitFor(3, TimeUnit.MINUTES), "the command did not end");
        return cli.exitValue() + "\n" + Files.readString(log);
    }

    @Test
    void secretsAreRedactedFromRunJsonAndTheConsole() throws Exception {
        Path data = GenerateJob.run(
                SparkTestSession.get(), Generators.byName("classification"), dir.resolve("data"), 500, 3);
        Path out = dir.resolve("run");
        String prepared = run(
                dir.resolve("prepare.log"),
                "prepare",
                "jobs/quickstart.conf",
                "--set",
                "data.path=\"" + data + "\"",
                "--out",
                out.toString());
        assertTrue(prepared.startsWith(ExitCode.OK + "\n"), prepared);
        String runJson = Files.readString(out.resolve("run.json"));
        assertTrue(runJson.contains("\"spark.hadoop.fs.s3a.secret.key\" : \"" + Secrets.REDACTED + "\""), runJson);
        assertTrue(runJson.contains("-Ddb.password=" + Secrets.REDACTED), runJson);
        assertTrue(
                runJson.contains(
                        "\"spark.hadoop.fs.azure.sas.data.acct.blob.core.windows.net\" : \"" + Secrets.REDACTED + "\""),
                runJson);
        assertTrue(runJson.contains("https://reader:" + Secrets.REDACTED + "@host/"), runJson);

        // A password in the data URL: the error line names the path, without it.
        String refused = run(
                dir.resolve("refused.log"),
                "prepare",
                "jobs/quickstart.conf",
                "--set",
                "data.path=\"s3a://reader:" + SECRET + "@bucket/data\"",
                "--out",
                dir.resolve("refused").toString());
        assertTrue(refused.startsWith(ExitCode.BAD_INPUT + "\n"), refused);
        assertTrue(refused.contains("s3a://reader:" + Secrets.REDACTED + "@bucket/data"), refused);

        for (String output : List.of(prepared, refused)) {
            assertFalse(output.contains(SECRET), output);
        }
        try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(
                        new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                                .contains(SECRET),
                        f.toString());
            }
        }
    }
}
