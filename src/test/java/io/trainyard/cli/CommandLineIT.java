package io.trainyard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.run.ExitCode;
import io.trainyard.testing.CapturedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each command's refusal of what it is pointed at, through the real command line: exit code 2, one line naming the
 * file or name at fault, and no run directory left behind.
 */
class CommandLineIT {
    @TempDir
    Path dir;

    @Test
    void everySpecCommandRefusesASpecThatIsNotThereNamingIt() {
        Path missing = dir.resolve("no-such-spec.conf");
        for (String command : List.of("train", "sweep", "validate", "prepare", "bench")) {
            Path out = dir.resolve("out-" + command);
            CapturedRun run = command.equals("validate")
                    ? CapturedRun.of(command, missing.toString())
                    : CapturedRun.of(command, missing.toString(), "--out", out.toString());
            assertEquals(ExitCode.BAD_INPUT, run.exitCode(), command + ": " + run.err());
            assertTrue(run.errorLine().contains(missing.toString()), command + ": " + run.errorLine());
            assertFalse(Files.exists(out), command + " created " + out);
        }
    }

    @Test
    void predictRefusesAModelDirectoryThatIsNotOneAndGenerateAnUnknownDataset() {
        Path notAModel = dir.resolve("not-a-model");
        Path input = dir.resolve("input");
        Path out = dir.resolve("predictions");
        try {
            Files.createDirectories(notAModel);
            Files.createDirectories(input);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CapturedRun predict = CapturedRun.of(
                "predict", "--model", notAModel.toString(), "--input", input.toString(), "--out", out.toString());
        assertEquals(ExitCode.BAD_INPUT, predict.exitCode(), predict.err());
        assertTrue(
                predict.errorLine().contains(notAModel + " is not a Trainyard model directory"), predict.errorLine());
        assertFalse(Files.exists(out));

        Path generated = dir.resolve("generated");
        CapturedRun generate = CapturedRun.of("generate", "no-such-dataset", "--out", generated.toString());
        assertEquals(ExitCode.BAD_INPUT, generate.exitCode(), generate.err());
        assertTrue(generate.errorLine().contains("no-such-dataset"), generate.errorLine());
        assertFalse(Files.exists(generated));
    }
}
