package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void namesInsideTheRunDirectoryResolve() {
        RunDirectory run = RunDirectory.open(dir.resolve("run"));
        assertEquals(dir.resolve("run/trials/trial-0001"), run.resolve("trials/trial-0001"));
        assertEquals(dir.resolve("run/model"), run.resolve("trials/../model"));
    }

    @Test
    void namesLeadingOutAreRefused() {
        RunDirectory run = RunDirectory.open(dir.resolve("run"));
        for (String escape : new String[] {"../elsewhere", "trials/../../elsewhere", "/etc/passwd", dir.toString()}) {
            UserInputException e = assertThrows(UserInputException.class, () -> run.resolve(escape), escape);
            assertEquals("'" + escape + "' is not a path inside the run directory " + dir.resolve("run"), e.getMessage());
        }
    }

    @Test
    void aSymbolicLinkInsideTheRunDirectoryIsNeverWrittenThrough() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        RunDirectory run = RunDirectory.open(dir.resolve("run"));
        Files.createSymbolicLink(dir.resolve("run/model"), outside);
        UserInputException e = assertThrows(UserInputException.class, () -> run.writeText("model/model.json", "{}"));
        assertTrue(e.getMessage().startsWith(dir.resolve("run/model") + " is a symbolic link"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("model.json")));
    }
}
