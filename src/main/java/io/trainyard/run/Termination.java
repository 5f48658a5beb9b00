package io.trainyard.run;

import org.apache.hadoop.util.ShutdownHookManager;

/**
 * Work to do when the process is told to stop (SIGTERM from a scheduler, SIGINT), before Spark stops its context.
 * The hook goes through Hadoop's shutdown-hook manager, which Spark's own hooks use, at a higher priority than
 * Spark's (40), so it runs first: while the context still works, and before the dying context makes running jobs
 * fail with errors that must not be taken for the jobs' own results.
 */
public final class Termination implements AutoCloseable {
    /** Above Spark's context shutdown (Hadoop's FileSystem priority 10 + 30). */
    private static final int PRIORITY = 100;

    private static volatile boolean inProgress;
    private final Runnable hook;

    private Termination(Runnable hook) {
        this.hook = hook;
    }

    /** Runs {@code action} if the process is terminated before {@link #close()}. */
    public static Termination onTerminate(Runnable action) {
        Runnable hook = () -> {
            inProgress = true;
            action.run();
        };
        ShutdownHookManager.get().addShutdownHook(hook, PRIORITY);
        return new Termination(hook);
    }

    /** True once the process is shutting down with registered work: failures from then on are the shutdown's. */
    public static boolean inProgress() {
        return inProgress;
    }

    @Override
    public void close() {
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
    }
}
