package io.trainyard.testing;

import io.trainyard.run.RunFiles;
import io.trainyard.sweep.Ledger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What tests read of a sweep's run directory, and waiting on a sweep running in another process. */
public final class SweepRuns {
    private SweepRuns() {}

    /** results.csv without its wall-time column, the one thing two runs of a sweep may differ in. */
    public static List<String> resultsWithoutSeconds(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve(RunFiles.RESULTS_CSV));
        int seconds = cells(lines.get(0)).indexOf("seconds");
        return lines.stream()
                .map(l -> {
                    List<String> cells = new ArrayList<>(cells(l));
                    cells.remove(seconds);
                    return String.join(",", cells);
                })
                .toList();
    }

    /** A CSV line's cells (quoted cells keep their quotes). */
    public static List<String> cells(String line) {
        return List.of(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
    }

    /** Waits until the ledger records {@code count} ended trials; fails when {@code child} ends first. */
    public static void awaitEndedTrials(Path ledger, int count, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (Files.exists(ledger)
                    && Ledger.read(ledger).stream()
                                    .filter(e -> e.outcome() != null)
                                    .count()
                            >= count) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError(
                        "the sweep ended early with " + child.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + count + " trials ended within 3 minutes");
    }
}
