package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Properties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void keysThatLookSecretAreRecognised() {
        for (String key : new String[] {
            "db.password",
            "spark.ssl.keyPassword",
            "fs.s3a.secret.key",
            "fs.s3a.access.key",
            "api-key",
            "accountKey",
            "GITHUB_TOKEN",
            "spark.authenticate.secret",
            "aws_credentials",
            "fs.azure.sas.container.account.blob.core.windows.net",
            "fs.azure.account.key.acct.dfs.core.windows.net",
            "spark.hadoop.fs.gs.auth.service.account.private.key",
            "masterKey"
        }) {
            assertTrue(Secrets.looksSecret(key), key);
        }
        for (String key : new String[] {
            "data.path", "model.hidden", "train.learning-rate", "spark.kryo.registrator", "split.key", "key"
        }) {
            assertFalse(Secrets.looksSecret(key), key);
        }
    }

    @Test
    void secretsInsideTextAreRedactedAndTheRestKept() {
        assertEquals(
                "-Xmx2g -Ddb.password=" + Secrets.REDACTED + " -Dorg.bytedeco.javacpp.maxbytes=2G",
                Secrets.redact("-Xmx2g -Ddb.password=hunter2 -Dorg.bytedeco.javacpp.maxbytes=2G"));
        assertEquals("s3a://me:" + Secrets.REDACTED + "@bucket/data", Secrets.redact("s3a://me:hunter2@bucket/data"));
        assertEquals("token: " + Secrets.REDACTED + ", user=me", Secrets.redact("token: abc.def, user=me"));
        assertEquals("/data/quickstart", Secrets.redact("/data/quickstart"));
        assertEquals(Secrets.REDACTED, Secrets.redact("spark.hadoop.fs.s3a.secret.key", "hunter2"));
    }

    @Test
    void jsonTreesAreRedactedInPlaceKeepingTheirShape() throws Exception {
        JsonNode tree =
                Json.MAPPER.readTree("{\"data\": {\"path\": \"s3a://me:hunter2@b/x\", \"password\": \"hunter2\","
                        + " \"columns\": [\"a\", \"token=hunter2\"]}, \"split\": {\"key\": [\"id\"]}}");
        JsonNode redacted = Secrets.redact(tree);
        assertFalse(redacted.toString().contains("hunter2"), redacted.toString());
        // split.key is a list of column names, not a secret: lists keep their shape and only their secrets go.
        assertEquals("id", redacted.get("split").get("key").get(0).asText());
    }

    @Test
    void urlPasswordsHoldingSlashesAreRedactedAndPortsKept() {
        assertEquals(
                "s3a://AKIAEXAMPLE:" + Secrets.REDACTED + "@bucket/data",
                Secrets.redact("s3a://AKIAEXAMPLE:wJalr/XUtnFEMI+K7MDENG/bPxRfiCY@bucket/data"));
        assertEquals(
                "jdbc:postgresql://db:5432/x and hdfs://nn:8020/data",
                Secrets.redact("jdbc:postgresql://db:5432/x and hdfs://nn:8020/data"));
        assertEquals(
                "wasbs://c@a.blob.core.windows.net/p?sv=2022-11-02&sig=" + Secrets.REDACTED + "&se=2030",
                Secrets.redact("wasbs://c@a.blob.core.windows.net/p?sv=2022-11-02&sig=abc%2Fdef%3D&se=2030"));
    }

    @Test
    void quotedValuesJsonTextAndBearerTokensAreRedacted() {
        assertEquals("password=\"" + Secrets.REDACTED + "\" user=me", Secrets.redact("password=\"two words\" user=me"));
        assertEquals("db.password = '" + Secrets.REDACTED + "'", Secrets.redact("db.password = 'it''s'"));
        assertEquals(
                "{\"user\": \"me\", \"password\": \"" + Secrets.REDACTED + "\", \"n\": 1}",
                Secrets.redact("{\"user\": \"me\", \"password\": \"hunter2\", \"n\": 1}"));
        assertEquals("{\"api_key\":\"" + Secrets.REDACTED + "\"}", Secrets.redact("{\"api_key\":\"a\\\"b\"}"));
        String header = Secrets.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x");
        assertFalse(header.contains("eyJ") || header.contains("sig-nature"), header);
        assertEquals("token = " + Secrets.REDACTED + ", next", Secrets.redact("token = [a, b], next"));
        assertEquals("secret: " + Secrets.REDACTED, Secrets.redact("secret: {k: v}"));
    }

    @Test
    void secretKeysLoseListAndObjectValuesWhole() throws Exception {
        JsonNode tree = Json.MAPPER.readTree("{\"spark\": {\"fs.azure.sas.c.a\": \"sv=1&sig=x\", \"passwords\": "
                + "[\"hunter2\", \"hunter3\"], \"credentials\": {\"user\": \"me\", \"pin\": \"hunter4\"}}}");
        JsonNode spark = Secrets.redact(tree).get("spark");
        assertEquals(Secrets.REDACTED, spark.get("fs.azure.sas.c.a").asText());
        assertEquals(Secrets.REDACTED, spark.get("passwords").asText());
        assertEquals(Secrets.REDACTED, spark.get("credentials").asText());
    }

    /** One line of every secret form, each holding "hunter" and a number; none may reach a log. */
    private static final List<String> SECRET_LINES = List.of(
            "-Ddb.password=hunter1 -Xmx2g",
            "s3a://AKIA:wJalr/XUtnF+hunter2@bucket/data",
            "password=\"two hunter3\" user=me",
            "{\"user\": \"me\", \"password\": \"hunter4\"}",
            "Authorization: Bearer eyJhunter5.x.y",
            "wasbs://c@a.blob.core.windows.net/p?sv=2022&sig=hunter6%2F&se=1",
            "token = [hunter7, b], next",
            "fs.azure.sas.c.a.blob.core.windows.net=hunter8",
            "db.password = 'it''s hunter9'",
            "api_key: {k: hunter10}",
            "jdbc:postgresql://dbuser:1234/hunter11@host:5432/db",
            "Authorization: Basic aHVudGVyMTI6eA==hunter12",
            "Proxy-Authorization: Digest username=\"u\", response=\"hunter13\"",
            "s3a://me:p@ss-hunter14@bucket/data",
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2Fhunter15&X-Amz-Signature=hunter16",
            "run --password hunter17 --verbose",
            "--db-pass 'hunter18'",
            "pwd=hunter19",
            "dbpass: hunter20",
            "Cookie: session=hunter21; theme=dark",
            "Set-Cookie: id=hunter22; Path=/; HttpOnly",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEhunter23\n-----END RSA PRIVATE KEY-----",
            "key: -----BEGIN PRIVATE KEY-----\nMIIEhunter24 (cut short)",
            "jdbc:oracle:thin:scott/hunter25@db:1521/orcl",
            "scott/hunter26@orcl",
            "X-Amz-Signature: hunter27");

    @Test
    void secretsRedactsEveryFormOfTheCorpus() {
        for (String line : SECRET_LINES) {
            assertFalse(Secrets.redact(line).contains("hunter"), Secrets.redact(line));
        }
    }

    /** What is not a secret stays as it was: a log line must still say which file, port and option it means. */
    @Test
    void textAroundSecretsAndTextWithoutThemIsKept() {
        for (String plain : List.of(
                "read hdfs://nn:8020/data/part-0.parquet in 3.1 s",
                "jdbc:postgresql://db:5432/x",
                "--master local[2] --out /tmp/run",
                "data/features/x.json",
                "the basic model trained; passes = 3",
                "sweep.space { \"train.learning-rate\" = {choice = [0.01, 0.02]} }")) {
            assertEquals(plain, Secrets.redact(plain));
        }
        assertEquals(
                "run --password " + Secrets.REDACTED + " --verbose", Secrets.redact("run --password hunter --verbose"));
        assertEquals(
                "jdbc:oracle:thin:scott/" + Secrets.REDACTED + "@db:1521/orcl",
                Secrets.redact("jdbc:oracle:thin:scott/tiger@db:1521/orcl"));
        assertEquals("Cookie: " + Secrets.REDACTED, Secrets.redact("Cookie: a=b; c=d"));
        assertEquals(
                "jdbc:postgresql://dbuser:" + Secrets.REDACTED + "@host",
                Secrets.redact("jdbc:postgresql://dbuser:1234/PW@host"));
        assertTrue(Secrets.looksSecret("pwd") && Secrets.looksSecret("dbpass") && Secrets.looksSecret("db.pwd"));
    }

    /** The launcher's, the tests' and the standalone daemons' logging: lines and stack traces masked alike. */
    @Test
    void everyShippedLogConfigurationMasksTheSameSecretsInLinesAndStackTraces() throws Exception {
        for (String file : List.of(
                "conf/log4j2.properties",
                "conf/log4j2-test.properties",
                "deploy/standalone/log4j2-daemon.properties")) {
            Properties config = new Properties();
            try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))) {
                config.load(in);
            }
            assertEquals("false", config.getProperty("appender.console.layout.alwaysWriteExceptions"), file);
            String pattern = config.getProperty("appender.console.layout.pattern");
            assertEquals(Secrets.log4jPattern("%m%n%throwable"), pattern.substring(pattern.indexOf("%replace")), file);
            PatternLayout layout = PatternLayout.newBuilder()
                    .withPattern(config.getProperty("appender.console.layout.pattern"))
                    .withAlwaysWriteExceptions(false)
                    .build();
            for (String secret : SECRET_LINES) {
                Exception cause = new IllegalStateException("cannot open " + secret);
                String line = layout.toSerializable(Log4jLogEvent.newBuilder()
                        .setLoggerName("io.trainyard.Job")
                        .setLevel(Level.ERROR)
                        .setMessage(new SimpleMessage("failed: " + secret))
                        .setThrown(new RuntimeException("wrapped", cause))
                        .build());
                assertFalse(line.contains("hunter"), file + ": " + line);
                assertTrue(line.contains("Caused by: java.lang.IllegalStateException: cannot open "), line);
                assertEquals(
                        1,
                        line.split("java.lang.RuntimeException: wrapped", -1).length - 1,
                        "the trace is written once: " + line);
            }
            String plain = layout.toSerializable(Log4jLogEvent.newBuilder()
                    .setLoggerName("io.trainyard.Job")
                    .setLevel(Level.INFO)
                    .setMessage(new SimpleMessage("read hdfs://nn:8020/data in 3.1 s"))
                    .build());
            assertTrue(plain.endsWith("read hdfs://nn:8020/data in 3.1 s" + System.lineSeparator()), plain);
        }
    }
}
