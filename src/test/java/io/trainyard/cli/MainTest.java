package io.trainyard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.data.source.DataException;
import io.trainyard.run.ConfigurationException;
import io.trainyard.run.ExitCode;
import io.trainyard.spec.check.SpecException;
import io.trainyard.sweep.NoTrialSucceededException;
import io.trainyard.train.TrainingDivergedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exit-code contract of every command, without Spark: each failure type maps to its code however deep it is
 * wrapped, and every command answers --help with 0 and an unknown option with 2.
 */
class MainTest {
    static final List<String> COMMANDS =
            List.of("quickstart", "train", "sweep", "predict", "bench", "generate", "validate", "prepare");

    /** Runs the command line with its output captured; returns the exit code and stderr. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Object[] {code, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void everyFailureMapsToItsExitCodeHoweverDeepItIsWrapped() {
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(ExitCode.BAD_INPUT, Main.report(new SpecException("train.epochs must be positive")));
            assertEquals(ExitCode.BAD_INPUT, Main.report(new RuntimeException(new DataException("no such column"))));
            assertEquals(
                    ExitCode.CONFIGURATION,
                    Main.report(
                            new IllegalStateException(new ConfigurationException("spark.local.dir is not shared"))));
            assertEquals(ExitCode.DIVERGED, Main.report(new TrainingDivergedException("loss is NaN")));
            assertEquals(
                    ExitCode.DIVERGED,
                    Main.report(new RuntimeException(new NoTrialSucceededException("every trial diverged"))));
            assertEquals(ExitCode.INFRASTRUCTURE, Main.report(new java.io.IOException("disk full")));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void everyCommandAnswersHelpWithZeroAndAnUnknownOptionWithTwo() {
        assertEquals(ExitCode.OK, run("--help")[0]);
        assertEquals(ExitCode.OK, run("--version")[0]);
        for (String command : COMMANDS) {
            assertEquals(ExitCode.OK, run(command, "--help")[0], command + " --help");
            Object[] wrong = run(command, "--no-such-option");
            assertEquals(ExitCode.BAD_INPUT, wrong[0], command + " --no-such-option");
            // One line naming what is wrong, then the command's own usage.
            assertTrue(((String) wrong[1]).startsWith("trainyard: "), command + ": " + wrong[1]);
            assertTrue(((String) wrong[1]).contains("Usage: trainyard " + command), command + ": " + wrong[1]);
        }
        Object[] unknown = run("trian");
        assertEquals(ExitCode.BAD_INPUT, unknown[0]);
        assertTrue(((String) unknown[1]).contains("trian"), (String) unknown[1]);
    }
}
