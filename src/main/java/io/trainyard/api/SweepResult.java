package io.trainyard.api;

import io.trainyard.job.SweepJob;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import java.nio.file.Path;

/**
 * A finished sweep: where it was written, how many trials ran and succeeded, the best trial by its validation metric,
 * and that trial's run (tested once, published as {@code best/}).
 *
 * @param bestValidation the best trial's best validation value of {@code metric}
 * @param testSummary    the best trial's test figures in a line
 * @param best           the best trial's run, as {@code train} would have written it
 */
public record SweepResult(
        Path runDirectory,
        int trials,
        long succeeded,
        String bestTrial,
        String metric,
        double bestValidation,
        String testSummary,
        double seconds,
        RunResult best) {
    static SweepResult of(SweepJob.Outcome outcome) {
        int best = outcome.result().best().orElseThrow();
        return new SweepResult(
                outcome.runDirectory(),
                outcome.result().plans().size(),
                outcome.result().outcomes().values().stream()
                        .filter(TrialOutcome::succeeded)
                        .count(),
                TrialPlan.name(best),
                SpecEnums.name(outcome.sweep().metric()),
                outcome.result().outcomes().get(best).best(),
                outcome.best().testSummary(),
                outcome.seconds(),
                RunResult.of(outcome.best()));
    }

    /** The leaderboard, every trial's curves and the metric against each swept key. */
    public Path report() {
        return runDirectory.resolve(RunFiles.REPORT);
    }

    /** Every trial's row: its parameters, status, epochs and best validation metric. */
    public Path resultsCsv() {
        return runDirectory.resolve(RunFiles.RESULTS_CSV);
    }
}
