package io.trainyard.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.check.SpecException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Strategies and the scheduler against a stand-in runner whose metric is a known function of the parameters. */
class StrategyTest {
    private static final SweepSpace SPACE = space(
            "train.learning-rate", new Domain.LogUniform(1e-4, 1e-1),
            "model.hidden", new Domain.Choice(List.of(List.of(32), List.of(64, 32))),
            "model.dropout", new Domain.Uniform(0, 0.5));

    /** A space with its keys in the order given. */
    private static SweepSpace space(Object... keysAndDomains) {
        Map<String, Domain> domains = new LinkedHashMap<>();
        for (int i = 0; i < keysAndDomains.length; i += 2) {
            domains.put((String) keysAndDomains[i], (Domain) keysAndDomains[i + 1]);
        }
        return new SweepSpace(domains);
    }

    /** Best at learning rate 10^-2.5; more epochs help a little; a failing trial is marked by a learning rate. */
    static final class FakeRunner implements TrialRunner {
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        final double failAbove;

        FakeRunner(double failAbove) {
            this.failAbove = failAbove;
        }

        @Override
        public TrialOutcome run(TrialPlan plan) throws InterruptedException {
            calls.merge(plan.id() + "@" + plan.epochs(), 1, Integer::sum);
            // Finish in an order unrelated to the ids, as real trials do.
            Thread.sleep((plan.id() * 7L) % 5);
            double lr = ((Number) plan.params().get("train.learning-rate")).doubleValue();
            if (lr > failAbove) {
                return TrialOutcome.failed(TrialOutcome.Status.DIVERGED, "loss became NaN", 0.1);
            }
            double metric = -Math.pow(Math.log10(lr) + 2.5, 2) + 0.01 * plan.epochs();
            return new TrialOutcome(TrialOutcome.Status.SUCCEEDED, metric, List.of(metric), plan.epochs(), 0.1, null);
        }
    }

    @Test
    void gridEnumeratesExactlyEveryCombination() {
        SweepSpace space = space(
                "a",
                new Domain.Choice(List.of(1, 2, 3)),
                "b",
                new Domain.Choice(List.of("x", "y")),
                "c",
                new Domain.Fixed(7),
                "d",
                new Domain.IntRange(4, 5));
        List<TrialPlan> plans = Strategies.grid(space, 3, 1000).next(Map.of()).run();
        assertEquals(12, plans.size());
        Set<List<Object>> seen = new HashSet<>();
        for (TrialPlan p : plans) {
            assertEquals(7, p.params().get("c"));
            assertEquals(3, p.epochs());
            seen.add(
                    List.of(p.params().get("a"), p.params().get("b"), p.params().get("d")));
        }
        assertEquals(12, seen.size());
        assertEquals(5, Strategies.grid(space, 3, 5).next(Map.of()).run().size());
        assertEquals(
                "sweep.space.train.learning-rate: a grid needs finite domains (choice, int or a fixed value), got "
                        + "loguniform",
                assertThrows(SpecException.class, () -> Strategies.grid(SPACE, 3, 10))
                        .getMessage());
    }

    @Test
    void aGridOfBillionsOfPointsIsSizedArithmeticallyAndBuildsOnlyTheTrialsAsked() {
        // Listing {int = [0, 2000000000]} in full ran out of memory; the grid is decoded from each trial's index.
        SweepSpace huge = space(
                "model.seed",
                new Domain.IntRange(0, 2_000_000_000),
                "train.batch-size",
                new Domain.Choice(List.of(16, 32)));
        assertEquals(4_000_000_002L, huge.gridSize());
        List<TrialPlan> plans = Strategies.grid(huge, 3, 3).next(Map.of()).run();
        assertEquals(3, plans.size());
        assertEquals(
                Map.of("model.seed", 0, "train.batch-size", 32), plans.get(1).params());
        assertEquals(
                Map.of("model.seed", 1, "train.batch-size", 16), plans.get(2).params());
        SweepSpace overflow = space(
                "a",
                new Domain.IntRange(Integer.MIN_VALUE, Integer.MAX_VALUE),
                "b",
                new Domain.IntRange(Integer.MIN_VALUE, Integer.MAX_VALUE),
                "c",
                new Domain.IntRange(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, overflow.gridSize());
        assertEquals(
                Integer.MIN_VALUE,
                Strategies.grid(overflow, 1, 1)
                        .next(Map.of())
                        .run()
                        .get(0)
                        .params()
                        .get("a"));
    }

    @Test
    void randomDrawsSpanTheWholeIntRangeWithoutOverflowing() {
        // hi - lo + 1 overflowed an int: "bound must be positive".
        SweepSpace full = space("model.seed", new Domain.IntRange(Integer.MIN_VALUE, Integer.MAX_VALUE));
        Set<Object> seen = new HashSet<>();
        for (int trial = 0; trial < 50; trial++) {
            seen.add(full.sample(7, trial).get("model.seed"));
        }
        assertTrue(seen.size() > 45, seen.toString());
        assertTrue(
                seen.stream().anyMatch(v -> (int) v < 0) && seen.stream().anyMatch(v -> (int) v > 0), seen.toString());
    }

    @Test
    void randomTrialsDependOnlyOnSeedAndId() {
        List<TrialPlan> a = Strategies.random(SPACE, 11, 10, 4).next(Map.of()).run();
        List<TrialPlan> b = Strategies.random(SPACE, 11, 5, 4).next(Map.of()).run();
        assertEquals(a.subList(0, 5), b);
        assertNotEquals(a, Strategies.random(SPACE, 12, 10, 4).next(Map.of()).run());
        for (TrialPlan p : a) {
            double lr = (Double) p.params().get("train.learning-rate");
            double dropout = (Double) p.params().get("model.dropout");
            assertTrue(lr >= 1e-4 && lr < 1e-1 && dropout >= 0 && dropout < 0.5, p.toString());
        }
    }

    @Test
    void successiveHalvingPromotesExactlyTheTopThirdAndNeverAFailedTrial() throws Exception {
        FakeRunner runner = new FakeRunner(0.03);
        Strategy sha = Strategies.successiveHalving(SPACE, 5, 27, 1, 9, 3, Mode.MAX);
        SweepScheduler.Result result = SweepScheduler.run(sha, runner, 3, Mode.MAX);
        // Rungs: 27 trials at 1 epoch, 9 at 3, 3 at 9.
        assertEquals(
                27, runner.calls.keySet().stream().filter(k -> k.endsWith("@1")).count());
        assertEquals(
                9, runner.calls.keySet().stream().filter(k -> k.endsWith("@3")).count());
        assertEquals(
                3, runner.calls.keySet().stream().filter(k -> k.endsWith("@9")).count());
        assertTrue(runner.calls.values().stream().allMatch(n -> n == 1), "a trial ran twice at one budget");

        // The 9 promoted to 3 epochs are exactly the 9 best successes at 1 epoch.
        List<TrialPlan> first = Strategies.successiveHalving(SPACE, 5, 27, 1, 9, 3, Mode.MAX)
                .next(Map.of())
                .run();
        Map<Integer, TrialOutcome> rung0 = new LinkedHashMap<>();
        for (TrialPlan p : first) {
            rung0.put(p.id(), runner.run(p));
        }
        List<Integer> expected = first.stream()
                .filter(p -> rung0.get(p.id()).succeeded())
                .sorted(Mode.MAX.byBest(rung0))
                .limit(9)
                .map(TrialPlan::id)
                .sorted()
                .toList();
        List<Integer> promoted = result.plans().values().stream()
                .filter(p -> p.epochs() >= 3)
                .map(TrialPlan::id)
                .sorted()
                .toList();
        assertEquals(expected, promoted);
        for (TrialPlan p : first) {
            if (!rung0.get(p.id()).succeeded()) {
                assertEquals(1, result.plans().get(p.id()).epochs(), "a failed trial was promoted: " + p);
            }
        }
        assertTrue(first.stream().anyMatch(p -> !rung0.get(p.id()).succeeded()), "the test needs a failing trial");
        assertEquals(9, result.plans().get(result.best().orElseThrow()).epochs());
    }

    @Test
    void plannedWorkMatchesWhatTheSchedulerRuns() throws Exception {
        FakeRunner runner = new FakeRunner(1);
        Strategy sha = Strategies.successiveHalving(SPACE, 5, 6, 1, 9, 3, Mode.MAX);
        SweepScheduler.run(sha, runner, 2, Mode.MAX);
        // 6 trials at 1 epoch, 2 continue to 3, 1 to 9: 9 runs, 6 + 2 x 2 + 6 epochs.
        assertEquals(new Strategy.Work(9, 16), sha.planned());
        assertEquals(9, runner.calls.size());
        assertEquals(new Strategy.Work(4, 20), Strategies.random(SPACE, 1, 4, 5).planned());
    }

    @Test
    void serialAndParallelSweepsChooseTheSameBestTrial() throws Exception {
        Strategy serial = Strategies.successiveHalving(SPACE, 9, 16, 1, 8, 2, Mode.MAX);
        Strategy parallel = Strategies.successiveHalving(SPACE, 9, 16, 1, 8, 2, Mode.MAX);
        SweepScheduler.Result one = SweepScheduler.run(serial, new FakeRunner(1), 1, Mode.MAX);
        SweepScheduler.Result four = SweepScheduler.run(parallel, new FakeRunner(1), 4, Mode.MAX);
        assertEquals(one.best(), four.best());
        assertEquals(one.plans(), four.plans());
        assertEquals(one.outcomes(), four.outcomes());
    }

    @Test
    void aTrialThatThrowsIsRecordedAndTheSweepGoesOn() throws Exception {
        TrialRunner flaky = plan -> {
            if (plan.id() == 1) {
                throw new IllegalStateException("executor lost");
            }
            return new TrialOutcome(TrialOutcome.Status.SUCCEEDED, plan.id(), List.of((double) plan.id()), 1, 0, null);
        };
        SweepScheduler.Result result = SweepScheduler.run(Strategies.random(SPACE, 1, 3, 1), flaky, 2, Mode.MIN);
        assertEquals(TrialOutcome.Status.FAILED, result.outcomes().get(1).status());
        assertEquals(
                "java.lang.IllegalStateException: executor lost",
                result.outcomes().get(1).reason());
        assertEquals(0, result.best().orElseThrow());
        assertNull(result.outcomes().get(0).reason());
    }

    @Test
    void hyperbandRunsThePapersBracketsForR81AndEta3() throws Exception {
        // Li et al. 2017, table 1: R = 81, eta = 3.
        List<Bracket> brackets = Bracket.hyperband(143, 1, 81, 3);
        assertEquals(
                List.of(
                        List.of(1, 3, 9, 27, 81),
                        List.of(3, 9, 27, 81),
                        List.of(9, 27, 81),
                        List.of(27, 81),
                        List.of(81)),
                brackets.stream().map(Bracket::budgets).toList());
        assertEquals(
                List.of(List.of(81, 27, 9, 3, 1), List.of(34, 11, 3, 1), List.of(15, 5, 1), List.of(8, 2), List.of(5)),
                brackets.stream()
                        .map(b -> java.util.stream.IntStream.range(
                                        0, b.budgets().size())
                                .mapToObj(b::survivors)
                                .toList())
                        .toList());

        // The scheduler runs exactly those rungs: how many trials ran at each budget, bracket by bracket.
        FakeRunner runner = new FakeRunner(1);
        Strategy hyperband = Strategy.of(Sampler.random(SPACE, 3), brackets, 4, Mode.MAX);
        SweepScheduler.Result result = SweepScheduler.run(hyperband, runner, 3, Mode.MAX);
        assertEquals(143, result.plans().size());
        assertEquals(143, Bracket.hyperbandRound(1, 81, 3));
        assertTrue(Bracket.hyperbandRound(1, 1 << 30, 2) > Integer.MAX_VALUE, "a round this large does not wrap");
        Map<Integer, Long> runsAt = new java.util.TreeMap<>();
        runner.calls
                .keySet()
                .forEach(k -> runsAt.merge(Integer.parseInt(k.substring(k.indexOf('@') + 1)), 1L, Long::sum));
        assertEquals(Map.of(1, 81L, 3, 27L + 34, 9, 9L + 11 + 15, 27, 3L + 3 + 5 + 8, 81, 1L + 1 + 1 + 2 + 5), runsAt);
        assertEquals(hyperband.planned().runs(), runner.calls.size());

        // More trials repeat the brackets; fewer cut the last one started.
        assertEquals(
                List.of(81, 34, 15, 8, 5, 81, 6),
                Bracket.hyperband(230, 1, 81, 3).stream().map(Bracket::trials).toList());
        assertEquals(
                List.of(27, 12, 6, 4),
                Bracket.hyperband(49, 1, 27, 3).stream().map(Bracket::trials).toList());
        assertEquals(
                List.of(List.of(2, 6, 18)),
                Bracket.hyperband(5, 2, 18, 3).subList(0, 1).stream()
                        .map(Bracket::budgets)
                        .toList());
    }

    @Test
    void tpeWithHyperbandProposesEachBatchFromTheResultsBeforeIt() throws Exception {
        FakeRunner runner = new FakeRunner(0.05);
        List<Bracket> brackets = Bracket.hyperband(40, 1, 9, 3);
        Strategy a = Strategy.of(new TpeSampler(SPACE, 1, Mode.MAX, 5), brackets, 2, Mode.MAX);
        Strategy b = Strategy.of(new TpeSampler(SPACE, 1, Mode.MAX, 5), brackets, 2, Mode.MAX);
        SweepScheduler.Result serial = SweepScheduler.run(a, runner, 1, Mode.MAX);
        SweepScheduler.Result parallel = SweepScheduler.run(b, new FakeRunner(0.05), 2, Mode.MAX);
        assertEquals(serial.plans(), parallel.plans());
        assertEquals(serial.outcomes(), parallel.outcomes());
        assertEquals(40, serial.plans().size());
        // The first five trials are random search's; later ones learned where the metric is high.
        Map<String, Object> firstRandom = Sampler.random(SPACE, 1).propose(0, List.of());
        assertEquals(firstRandom, serial.plans().get(0).params());
        double late = serial.plans().values().stream()
                .filter(p -> p.id() >= 20)
                .mapToDouble(p ->
                        Math.abs(Math.log10(((Number) p.params().get("train.learning-rate")).doubleValue()) + 2.5))
                .average()
                .orElseThrow();
        assertTrue(late < 0.6, "later proposals are " + late + " decades from the best learning rate on average");
    }
}
