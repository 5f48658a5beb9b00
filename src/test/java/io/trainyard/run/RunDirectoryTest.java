package io.trainyard.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void namesInsideTheRunDirectoryResolve() {
        RunDirectory run = RunDirectory.open(dir.resolve("run"), Map.of());
        assertEquals(dir.resolve("run/trials/trial-0001"), run.resolve("trials/trial-0001"));
        assertEquals(dir.resolve("run/model"), run.resolve("trials/../model"));
    }

    @Test
    void namesLeadingOutAreRefused() {
        RunDirectory run = RunDirectory.open(dir.resolve("run"), Map.of());
        for (String escape : new String[] {"../elsewhere", "trials/../../elsewhere", "/etc/passwd", dir.toString()}) {
            UserInputException e = assertThrows(UserInputException.class, () -> run.resolve(escape), escape);
            assertEquals(
                    "'" + escape + "' is not a path inside the run directory " + dir.resolve("run"), e.getMessage());
        }
    }

    @Test
    void aSymbolicLinkInsideTheRunDirectoryIsNeverWrittenThrough() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        RunDirectory run = RunDirectory.open(dir.resolve("run"), Map.of());
        Files.createSymbolicLink(dir.resolve("run/model"), outside);
        UserInputException e = assertThrows(UserInputException.class, () -> run.writeText("model/model.json", "{}"));
        assertTrue(e.getMessage().startsWith(dir.resolve("run/model") + " is a symbolic link"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("model.json")));
    }

    @Test
    void aLinkPlantedAtTheOldFixedTemporaryNameChangesNothingOutside() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        RunDirectory run = RunDirectory.open(dir.resolve("run"), Map.of());
        Files.createSymbolicLink(dir.resolve("run/.run.json.tmp"), victim);
        run.writeText("run.json", "{}");
        assertEquals("precious", Files.readString(victim));
        assertEquals("{}", Files.readString(dir.resolve("run/run.json")));
        assertTrue(Files.isSymbolicLink(dir.resolve("run/.run.json.tmp")), "a link Trainyard did not make stays");
    }

    @Test
    void writingOverALinkReplacesTheLinkNotItsTarget() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path target = dir.resolve("history.json");
        Files.createSymbolicLink(target, victim);
        RunDirectory.writeAtomically(target, "{}");
        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(target));
        assertEquals("{}", Files.readString(target));
    }

    @Test
    void temporaryFilesAreUniqueAndLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 3; i++) {
            RunDirectory.writeAtomically(dir.resolve("a.json"), "{" + i + "}");
        }
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("a.json"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void openingRefusesADirectoryTrainyardDidNotWriteAndLeavesItAlone() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("home"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        UserInputException e = assertThrows(UserInputException.class, () -> RunDirectory.open(foreign, Map.of()));
        assertEquals(
                "--out " + foreign + " is not empty and was not written by Trainyard (it has no _trainyard_output "
                        + "file); Trainyard replaces only its own outputs: choose another directory, or empty this one",
                e.getMessage());
        try (var files = Files.list(foreign)) {
            assertEquals(
                    List.of("notes.txt"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aRunDirectoryOpensAgainButAFolderWithOnlyARunJsonIsNoRun() throws Exception {
        RunDirectory.open(dir.resolve("run"), Map.of()).writeText("metrics.json", "{}");
        RunDirectory.open(dir.resolve("run"), Map.of());
        assertEquals(
                "run",
                Files.readString(dir.resolve("run").resolve(OutputDirectory.MARKER))
                        .strip());
        // Anyone can write a run.json naming a Trainyard version; only the marker Trainyard writes with a run counts.
        Path forged = Files.createDirectories(dir.resolve("forged"));
        Files.writeString(forged.resolve("run.json"), "{\"name\":\"q\",\"trainyard_version\":\"dev\"}");
        Files.writeString(forged.resolve("metrics.json"), "theirs");
        assertThrows(UserInputException.class, () -> RunDirectory.open(forged, Map.of()));
        assertEquals("theirs", Files.readString(forged.resolve("metrics.json")));
        assertFalse(Files.exists(forged.resolve(OutputDirectory.MARKER)));
    }

    @Test
    void aNewDirectoryIsNotPublishedOverOneThatAppearedMeanwhile() throws Exception {
        Path target = dir.resolve("generated");
        UserInputException e = assertThrows(
                UserInputException.class,
                () -> RunDirectory.publishNewDirectory(target, tmp -> {
                    Files.createDirectories(tmp);
                    Files.createDirectories(target);
                    Files.writeString(target.resolve("someone-elses.txt"), "theirs");
                }));
        assertEquals(target + " appeared while it was being written; it was left as it is", e.getMessage());
        assertEquals("theirs", Files.readString(target.resolve("someone-elses.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("generated"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
