package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight check as a user meets it: the command refuses at start-up, before Spark or any work. */
class PreflightIT {
    @TempDir
    Path dir;

    @Test
    void aYarnConfigurationWhoseOverheadCannotHoldNd4jIsRefusedWithExit5() throws Exception {
        Path log = dir.resolve("refused.log");
        Path out = dir.resolve("run");
        // No YARN here: the check must refuse before the context would try to reach one.
        Process cli = ChildJvm.start(
                log,
                List.of("-Dspark.master=yarn", "-Dspark.executor.memory=4g", "-Dspark.executor.memoryOverhead=512m"),
                "prepare",
                "jobs/quickstart.conf",
                "--out",
                out.toString());
        assertTrue(cli.waitFor(2, TimeUnit.MINUTES));
        String output = Files.readString(log);
        assertEquals(ExitCode.CONFIGURATION, cli.exitValue(), output);
        List<String> lines =
                output.lines().filter(l -> l.startsWith("trainyard:")).toList();
        assertEquals(1, lines.size(), output);
        assertTrue(
                lines.get(0).startsWith("trainyard: configuration refused: spark.executor.memoryOverhead (512 MiB)"),
                lines.get(0));
        assertFalse(Files.exists(out), "the run directory was created");
    }
}
