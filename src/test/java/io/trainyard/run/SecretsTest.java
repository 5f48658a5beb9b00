package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void keysThatLookSecretAreRecognised() {
        for (String key : new String[] {"db.password", "spark.ssl.keyPassword", "fs.s3a.secret.key", "fs.s3a.access.key",
            "api-key", "accountKey", "GITHUB_TOKEN", "spark.authenticate.secret", "aws_credentials"}) {
            assertTrue(Secrets.looksSecret(key), key);
        }
        for (String key : new String[] {"data.path", "model.hidden", "train.learning-rate", "spark.kryo.registrator"}) {
            assertFalse(Secrets.looksSecret(key), key);
        }
    }

    @Test
    void secretsInsideTextAreRedactedAndTheRestKept() {
        assertEquals("-Xmx2g -Ddb.password=" + Secrets.REDACTED + " -Dorg.bytedeco.javacpp.maxbytes=2G",
                Secrets.redact("-Xmx2g -Ddb.password=hunter2 -Dorg.bytedeco.javacpp.maxbytes=2G"));
        assertEquals("s3a://me:" + Secrets.REDACTED + "@bucket/data", Secrets.redact("s3a://me:hunter2@bucket/data"));
        assertEquals("token: " + Secrets.REDACTED + ", user=me", Secrets.redact("token: abc.def, user=me"));
        assertEquals("/data/quickstart", Secrets.redact("/data/quickstart"));
        assertEquals(Secrets.REDACTED, Secrets.redact("spark.hadoop.fs.s3a.secret.key", "hunter2"));
    }

    @Test
    void jsonTreesAreRedactedInPlaceKeepingTheirShape() throws Exception {
        JsonNode tree = Json.MAPPER.readTree("{\"data\": {\"path\": \"s3a://me:hunter2@b/x\", \"password\": \"hunter2\","
                + " \"columns\": [\"a\", \"token=hunter2\"]}, \"split\": {\"key\": [\"id\"]}}");
        JsonNode redacted = Secrets.redact(tree);
        assertFalse(redacted.toString().contains("hunter2"), redacted.toString());
        // split.key is a list of column names, not a secret: lists keep their shape and only their secrets go.
        assertEquals("id", redacted.get("split").get("key").get(0).asText());
    }
}
