package io.trainyard.run;

/** The exit-code contract schedulers rely on (see README, "Exit codes"). */
public final class ExitCode {
    public static final int OK = 0;
    /** Bad spec or bad input data: nothing was trained. */
    public static final int BAD_INPUT = 2;
    /** Training diverged (NaN or infinite loss), or no trial of a sweep succeeded: no model was published. */
    public static final int DIVERGED = 3;
    /** Infrastructure failure (Spark, disk, native memory) worth a retry. */
    public static final int INFRASTRUCTURE = 4;
    /** Spark settings or storage known to fail on a cluster, refused before any work (the message names the setting). */
    public static final int CONFIGURATION = 5;
    /** Interrupted by SIGINT. */
    public static final int INTERRUPTED = 130;
    /** Terminated by SIGTERM. */
    public static final int TERMINATED = 143;

    private ExitCode() {}
}
