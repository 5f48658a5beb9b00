package io.trainyard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./trainyard} launcher as a user runs it, on the jar the build just packaged: the first Spark run writes
 * the class-data-sharing archive, later runs map it (checked with {@code -Xshare:on}, which refuses to start on an
 * archive it cannot use), a run under the flight recorder maps none (JDK 17 crashes on it), and a failed run leaves no
 * archive, whole or partial.
 */
class LauncherIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    static Path dir;

    private static Path spec;

    @BeforeAll
    static void data() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, launch(Map.of(), "generate", "classification", "--out", data.toString(), "--rows", "400"));
        spec = dir.resolve("job.conf");
        Files.writeString(spec, "name = launcher\ndata { path = \"" + data + "\", label = outcome, nulls = impute }\n");
    }

    @Test
    void theFirstSparkRunWritesTheArchiveAndLaterRunsMapIt() throws Exception {
        Path archive = dir.resolve("cds/first.jsa");
        Files.createDirectories(archive.getParent());
        Map<String, String> env = Map.of("TRAINYARD_CDS_ARCHIVE", archive.toString());
        assertEquals(
                0,
                launch(
                        env,
                        "prepare",
                        spec.toString(),
                        "--out",
                        dir.resolve("run1").toString()));
        assertTrue(Files.size(archive) > 1_000_000, "archive written");
        assertEquals(List.of(archive), leftovers(archive));

        FileTime written = Files.getLastModifiedTime(archive);
        Map<String, String> strict =
                Map.of("TRAINYARD_CDS_ARCHIVE", archive.toString(), "TRAINYARD_JAVA_OPTS", "-Xshare:on");
        assertEquals(
                0,
                launch(
                        strict,
                        "prepare",
                        spec.toString(),
                        "--out",
                        dir.resolve("run2").toString()));
        assertEquals(written, Files.getLastModifiedTime(archive), "mapped, not written again");

        // JDK 17 crashes when the flight recorder's class-load hook meets a dynamic archive: the launcher maps none.
        Path recording = dir.resolve("flight.jfr");
        Map<String, String> recorded = Map.of(
                "TRAINYARD_CDS_ARCHIVE",
                archive.toString(),
                "TRAINYARD_JAVA_OPTS",
                "-XX:StartFlightRecording=filename=" + recording);
        assertEquals(0, launch(recorded, "validate", spec.toString()));
        assertTrue(Files.size(recording) > 0, "recorded");
    }

    @Test
    void aFailedRunLeavesNoArchive() throws Exception {
        Path archive = dir.resolve("cds-failed/never.jsa");
        Files.createDirectories(archive.getParent());
        Path missing = dir.resolve("missing.conf");
        Files.writeString(
                missing, "name = missing\ndata { path = \"" + dir.resolve("no-such-data") + "\", label = y }\n");
        int status = launch(
                Map.of("TRAINYARD_CDS_ARCHIVE", archive.toString()),
                "prepare",
                missing.toString(),
                "--out",
                dir.resolve("run-failed").toString());
        assertNotEquals(0, status);
        assertEquals(List.of(), leftovers(archive));
    }

    @Test
    void offMeansNoArchive() throws Exception {
        Path archive = dir.resolve("cds-off/off.jsa");
        Files.createDirectories(archive.getParent());
        Map<String, String> env = Map.of("TRAINYARD_CDS_ARCHIVE", archive.toString(), "TRAINYARD_CDS", "off");
        assertEquals(0, launch(env, "validate", spec.toString()));
        assertFalse(Files.exists(archive));
    }

    @Test
    void sparkPropertiesReachTheJvmByFileNeverOnItsCommandLine() throws Exception {
        // A stand-in java first on PATH records the command line the launcher builds: any local user can read a
        // process's command line in /proc/PID/cmdline, so a secret among the properties must not be on it.
        Path bin = Files.createDirectories(dir.resolve("stub-bin"));
        Path recorded = dir.resolve("cmdline.txt");
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + recorded + "\n");
        java.toFile().setExecutable(true);
        Path properties = Files.writeString(
                dir.resolve("secret.properties"),
                "spark.serializer=org.apache.spark.serializer.KryoSerializer\n"
                        + "spark.hadoop.fs.s3a.secret.key = hunter2-on-the-command-line\n");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "TRAINYARD_CDS", "off");
        assertEquals(0, launch(env, "--spark-properties", properties.toString(), "validate", spec.toString()));
        List<String> args = Files.readAllLines(recorded);
        assertTrue(args.contains("-Dtrainyard.spark-properties=" + properties), String.join(" ", args));
        assertFalse(String.join(" ", args).contains("hunter2"), String.join(" ", args));
        assertFalse(String.join(" ", args).contains("KryoSerializer"), String.join(" ", args));
    }

    private static List<Path> leftovers(Path archive) throws IOException {
        try (Stream<Path> files = Files.list(archive.getParent())) {
            return files.sorted().toList();
        }
    }

    private static int launch(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(
                                Stream.of(ROOT.resolve("trainyard").toString(), "--master", "local[2]"),
                                Stream.of(args))
                        .toList())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        ROOT.resolve("target/launcher-it.log").toFile()));
        builder.environment().put("TRAINYARD_DRIVER_MEMORY", "2g");
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), String.join(" ", args));
        return p.exitValue();
    }
}
