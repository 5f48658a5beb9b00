package io.trainyard.sweep;

import io.trainyard.spec.check.SpecEnums;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trials through the ledger. A trial whose end at this epoch budget is already recorded (by an earlier run of
 * the sweep) is not run again: its recorded outcome is returned, unless it failed (rather than succeeded or diverged). Otherwise its start is recorded, it runs, and its
 * end (succeeded, diverged or failed with the reason) is recorded before the scheduler sees it.
 */
public final class RecordedRunner implements TrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RecordedRunner.class);
    private final Ledger ledger;
    private final TrialRunner runner;

    public RecordedRunner(Ledger ledger, TrialRunner runner) {
        this.ledger = ledger;
        this.runner = runner;
    }

    @Override
    public TrialOutcome run(TrialPlan plan) throws InterruptedException {
        Optional<TrialOutcome> recorded = ledger.ended(plan.id(), plan.epochs());
        if (recorded.isPresent() && recorded.get().status() == TrialOutcome.Status.FAILED) {
            // A failure may have been the cluster's (a lost executor, a full disk): a resume gives it another chance.
            // Divergence is the trial's own result and stands.
            LOG.info(
                    "{} at {} epoch(s) failed in an earlier run ({}); running it again",
                    plan.name(),
                    plan.epochs(),
                    recorded.get().reason());
        } else if (recorded.isPresent()) {
            LOG.info(
                    "{} at {} epoch(s): ended in an earlier run ({}), not run again",
                    plan.name(),
                    plan.epochs(),
                    SpecEnums.name(recorded.get().status()));
            return recorded.get();
        }
        ledger.append(LedgerEvent.started(plan));
        long start = System.nanoTime();
        TrialOutcome outcome;
        try {
            outcome = runner.run(plan);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            outcome = TrialOutcome.failed(TrialOutcome.Status.FAILED, oneLine(e), (System.nanoTime() - start) / 1e9);
        }
        ledger.append(LedgerEvent.ended(plan, outcome));
        return outcome;
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
