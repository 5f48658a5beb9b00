package io.trainyard.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.trainyard.spec.check.SpecException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec reads nothing but itself: no include of any kind, no environment behind a substitution. */
class RestrictedHoconTest {
    private static final String MINIMAL = "name = t\ndata { path = /tmp/x, label = y }\n";

    @TempDir
    Path dir;

    private String refusal(String hocon, String... overrides) throws Exception {
        Path spec = Files.writeString(dir.resolve("job.conf"), hocon);
        return assertThrows(SpecException.class, () -> SpecLoader.load(spec, List.of(overrides)))
                .getMessage();
    }

    @Test
    void anIncludeOfAUrlIsRefusedWithoutFetchingIt() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "name = fetched\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/remote.conf";
            assertEquals(
                    dir.resolve("job.conf") + ": 'include url(" + url + ")' is not allowed; a spec is one file (put "
                            + "the keys in it, or pass --set key=value)",
                    refusal(MINIMAL + "include url(\"" + url + "\")\n"));
            assertEquals(0, requests.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void includesOfFilesAndClasspathResourcesAreRefusedSoNoSecretReachesAnErrorLine() throws Exception {
        Files.writeString(dir.resolve("key.json"), "{\"private_key\": \"-----BEGIN PRIVATE KEY-----abc\"}");
        String refusal = refusal(MINIMAL + "sweep.space { include file(\"" + dir.resolve("key.json") + "\") }\n"
                + "name = ${sweep.space.private_key}\n");
        assertEquals(
                dir.resolve("job.conf") + ": 'include file(" + dir.resolve("key.json") + ")' is not allowed; a spec is "
                        + "one file (put the keys in it, or pass --set key=value)",
                refusal);
        assertEquals(true, refusal(MINIMAL + "include \"key.json\"\n").contains("'include key.json' is not allowed"));
        assertEquals(
                true,
                refusal(MINIMAL + "include classpath(\"defaults.conf\")\n")
                        .contains("'include classpath(defaults.conf)' is not allowed"));
    }

    @Test
    void aSubstitutionNamingNoKeyOfTheSpecIsRefusedInsteadOfReadingTheEnvironment() throws Exception {
        // PATH is set wherever the tests run: Typesafe Config's defaults would put its value into the spec.
        String expected = "${PATH} names no key of the spec; a spec does not read environment variables or system "
                + "properties (pass the value with --set PATH=...)";
        assertEquals(expected, refusal(MINIMAL + "model.normal-class = ${?PATH}\n"));
        assertEquals(expected, refusal(MINIMAL + "name = ${PATH}\n"));
        assertEquals(expected, refusal(MINIMAL, "model.normal-class=${?PATH}"));
        assertEquals(
                true, refusal(MINIMAL + "name = ${java.home}\n").startsWith("${java.home} names no key of the spec"));
    }

    @Test
    void substitutionsOfTheSpecsOwnKeysStillWork() throws Exception {
        Path spec = Files.writeString(dir.resolve("own.conf"), MINIMAL + "name = ${data.label}-run\n");
        assertEquals("y-run", SpecLoader.load(spec, List.of()).name());
        assertEquals(
                "x",
                SpecLoader.load(spec, List.of("name=${?data.label}", "data.label=x"))
                        .name());
    }
}
