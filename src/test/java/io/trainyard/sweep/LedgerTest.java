package io.trainyard.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.run.UserInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger and resuming through it, with a stand-in runner. */
class LedgerTest {
    private static final SweepSpace SPACE =
            new SweepSpace(Map.of("train.learning-rate", new Domain.LogUniform(1e-4, 1e-1)));

    @TempDir
    Path dir;

    private Strategy asha() {
        return Strategies.successiveHalving(SPACE, 3, 9, 1, 9, 3, Mode.MAX);
    }

    @Test
    void outcomesSurviveTheRoundTripExactly() {
        Path file = dir.resolve("ledger.jsonl");
        TrialPlan plan = new TrialPlan(3, Map.of("model.hidden", List.of(64, 32), "train.learning-rate", 1e-3 / 3), 2);
        TrialOutcome ok =
                new TrialOutcome(TrialOutcome.Status.SUCCEEDED, 0.1 + 0.2, List.of(0.5, 0.1 + 0.2), 2, 1.25, null);
        TrialOutcome diverged = TrialOutcome.failed(TrialOutcome.Status.DIVERGED, "loss is NaN", 0.5);
        try (Ledger ledger = Ledger.open(file, "f1")) {
            ledger.append(LedgerEvent.started(plan));
            ledger.append(LedgerEvent.ended(plan, ok));
            ledger.append(LedgerEvent.ended(plan.withEpochs(6), diverged));
        }
        try (Ledger again = Ledger.open(file, "f1")) {
            assertEquals(ok, again.ended(3, 2).orElseThrow());
            assertEquals(
                    TrialOutcome.Status.DIVERGED,
                    again.ended(3, 6).orElseThrow().status());
            assertTrue(Double.isNaN(again.ended(3, 6).orElseThrow().best()));
            assertTrue(again.ended(3, 1).isEmpty());
            assertEquals(List.of(64, 32), Ledger.read(file).get(1).params().get("model.hidden"));
        }
    }

    @Test
    void aTornLastLineIsIgnoredAndAnotherSpecIsRefused() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        TrialPlan plan = new TrialPlan(0, Map.of(), 1);
        try (Ledger ledger = Ledger.open(file, "f1")) {
            ledger.append(LedgerEvent.ended(
                    plan, new TrialOutcome(TrialOutcome.Status.SUCCEEDED, 1, List.of(1.0), 1, 1, null)));
        }
        Files.writeString(
                file, "{\"event\":\"started\",\"trial\":1,\"ep", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (Ledger ledger = Ledger.open(file, "f1")) {
            assertTrue(ledger.ended(0, 1).isPresent());
            assertEquals(2, Ledger.read(file).size());
        }
        UserInputException refused = assertThrows(UserInputException.class, () -> Ledger.open(file, "f2"));
        assertTrue(
                refused.getMessage().startsWith(file + " records a sweep of another spec or other data"),
                refused.getMessage());
    }

    @Test
    void aSealedLedgerWritesNothing() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        try (Ledger ledger = Ledger.open(file, "f1")) {
            ledger.seal();
            ledger.append(LedgerEvent.started(new TrialPlan(0, Map.of(), 1)));
        }
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    void aResumeRetriesAFailedTrialButNotADivergedOne() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        TrialPlan failed = new TrialPlan(0, Map.of(), 1);
        TrialPlan diverged = new TrialPlan(1, Map.of(), 1);
        try (Ledger ledger = Ledger.open(file, "f1")) {
            ledger.append(
                    LedgerEvent.ended(failed, TrialOutcome.failed(TrialOutcome.Status.FAILED, "executor lost", 1)));
            ledger.append(LedgerEvent.ended(diverged, TrialOutcome.failed(TrialOutcome.Status.DIVERGED, "NaN", 1)));
        }
        List<Integer> ran = new java.util.ArrayList<>();
        try (Ledger ledger = Ledger.open(file, "f1")) {
            RecordedRunner runner = new RecordedRunner(ledger, plan -> {
                ran.add(plan.id());
                return new TrialOutcome(TrialOutcome.Status.SUCCEEDED, 1, List.of(1.0), 1, 1, null);
            });
            assertTrue(runner.run(failed).succeeded());
            assertEquals(TrialOutcome.Status.DIVERGED, runner.run(diverged).status());
            assertTrue(ledger.ended(0, 1).orElseThrow().succeeded(), "the retry's outcome is the one recorded last");
        }
        assertEquals(List.of(0), ran);
    }

    @Test
    void aResumedSweepRerunsOnlyWhatDidNotEndAndEndsAsAnUninterruptedOne() throws Exception {
        SweepScheduler.Result uninterrupted = SweepScheduler.run(asha(), new StrategyTest.FakeRunner(1), 2, Mode.MAX);

        // First run: dies after five trials ended (the sixth was started and interrupted).
        Path file = dir.resolve("ledger.jsonl");
        Map<String, Integer> firstCalls = new LinkedHashMap<>();
        try (Ledger ledger = Ledger.open(file, "f1")) {
            StrategyTest.FakeRunner inner = new StrategyTest.FakeRunner(1);
            TrialRunner dying = plan -> {
                if (firstCalls.size() >= 5) {
                    throw new InterruptedException("killed");
                }
                synchronized (firstCalls) {
                    firstCalls.put(plan.id() + "@" + plan.epochs(), 1);
                }
                return inner.run(plan);
            };
            assertThrows(
                    InterruptedException.class,
                    () -> SweepScheduler.run(asha(), new RecordedRunner(ledger, dying), 1, Mode.MAX));
        }
        StrategyTest.FakeRunner second = new StrategyTest.FakeRunner(1);
        SweepScheduler.Result resumed;
        try (Ledger ledger = Ledger.open(file, "f1")) {
            resumed = SweepScheduler.run(asha(), new RecordedRunner(ledger, second), 2, Mode.MAX);
        }
        assertEquals(uninterrupted.plans(), resumed.plans());
        assertEquals(uninterrupted.outcomes(), resumed.outcomes());
        assertEquals(uninterrupted.best(), resumed.best());
        for (String ended : firstCalls.keySet()) {
            assertTrue(!second.calls.containsKey(ended), ended + " ended before the kill and ran again");
        }
        assertEquals(9 + 3 + 1 - firstCalls.size(), second.calls.size());
    }

    private static Strategy tpeHyperband() {
        return Strategy.of(new TpeSampler(SPACE, 4, Mode.MAX, 4), Bracket.hyperband(24, 1, 9, 3), 2, Mode.MAX);
    }

    @Test
    void aResumedTpeHyperbandSweepProposesWhatAnUninterruptedOneDid() throws Exception {
        SweepScheduler.Result uninterrupted =
                SweepScheduler.run(tpeHyperband(), new StrategyTest.FakeRunner(0.05), 2, Mode.MAX);
        Path file = dir.resolve("ledger.jsonl");
        int[] ended = {0};
        try (Ledger ledger = Ledger.open(file, "f1")) {
            StrategyTest.FakeRunner inner = new StrategyTest.FakeRunner(0.05);
            TrialRunner dying = plan -> {
                synchronized (ended) {
                    if (ended[0]++ >= 17) {
                        throw new InterruptedException("killed");
                    }
                }
                return inner.run(plan);
            };
            assertThrows(
                    InterruptedException.class,
                    () -> SweepScheduler.run(tpeHyperband(), new RecordedRunner(ledger, dying), 2, Mode.MAX));
        }
        StrategyTest.FakeRunner second = new StrategyTest.FakeRunner(0.05);
        SweepScheduler.Result resumed;
        try (Ledger ledger = Ledger.open(file, "f1")) {
            resumed = SweepScheduler.run(tpeHyperband(), new RecordedRunner(ledger, second), 1, Mode.MAX);
        }
        assertEquals(uninterrupted.plans(), resumed.plans());
        assertEquals(uninterrupted.outcomes(), resumed.outcomes());
        assertEquals(uninterrupted.best(), resumed.best());
        assertTrue(second.calls.size() < tpeHyperband().planned().runs() - 10, second.calls.size() + " runs again");
        // The proposals learned from the results: not every trial is the random sampler's draw.
        long random = resumed.plans().values().stream()
                .filter(p -> p.params().equals(Sampler.random(SPACE, 4).propose(p.id(), List.of())))
                .count();
        assertTrue(
                random < resumed.plans().size() - 5,
                random + " of " + resumed.plans().size() + " are random draws");
    }
}
