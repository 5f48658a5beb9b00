package io.trainyard.train;

import io.trainyard.spec.check.SpecEnums;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop every family shares (one network, or a GAN's two): train and validate an epoch, tell the listener,
 * record it for early stopping and keep the best parameters, until the epochs are done, early stopping says stop, or
 * the thread is interrupted. A continued start replays its history into early stopping first, so a run continued from
 * a checkpoint stops where an unbroken one would. What an epoch is, how it is validated and what "diverged" means
 * belong to the family.
 */
public final class EpochLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

    private EpochLoop() {}

    /** One family's epochs. */
    public interface Family<E> {
        /**
         * Trains and validates epoch {@code epoch} (from 1); throws {@link TrainingDivergedException} when the
         * training stops being finite.
         *
         * @param improved for each epoch before it, whether it improved the stopping metric (a plateau schedule's input)
         */
        E epoch(int epoch, List<Boolean> improved);

        /** The epoch's value of the stopping metric. */
        double validation(E record);

        /** The epoch just recorded is the best so far: remember the parameters as they are now. */
        void keepBest();
    }

    /**
     * How the loop ended.
     *
     * @param bestEpoch 1-based epoch whose parameters the family kept
     * @param stopped   true when early stopping ended it (more epochs would not run)
     */
    public record Outcome<E>(List<E> history, int bestEpoch, String reason, boolean stopped) {}

    /**
     * @param done     epochs a continued start already ran
     * @param epochs   the epochs to reach in all
     * @param listener told about every epoch as it ends
     */
    public static <E> Outcome<E> run(
            Family<E> family, List<E> done, EarlyStopping stopping, int epochs, Consumer<E> listener) {
        List<E> history = new ArrayList<>(done);
        List<Boolean> improved = new ArrayList<>();
        for (int e = 0; e < done.size(); e++) {
            improved.add(stopping.record(e + 1, family.validation(done.get(e))));
        }
        for (int epoch = history.size() + 1; epoch <= epochs && !stopping.shouldStop(); epoch++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("training interrupted before epoch " + epoch);
            }
            E record = family.epoch(epoch, improved);
            history.add(record);
            listener.accept(record);
            boolean best = stopping.record(epoch, family.validation(record));
            improved.add(best);
            if (best) {
                family.keepBest();
            }
        }
        String metric = SpecEnums.name(stopping.metric());
        String reason = stopping.shouldStop()
                ? "early stop at epoch " + history.size() + ": validation " + metric + " has not improved for "
                        + stopping.patience() + " epochs"
                : "completed " + history.size() + " epochs";
        LOG.info(
                "{}; keeping epoch {} (validation {} {})",
                reason,
                stopping.bestEpoch(),
                metric,
                String.format("%.5g", stopping.best()));
        return new Outcome<>(List.copyOf(history), stopping.bestEpoch(), reason, stopping.shouldStop());
    }
}
