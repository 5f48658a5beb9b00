package io.trainyard.run;

/**
 * The names of what a run directory holds, in one place: jobs write them, and the library API, the command line,
 * reports and tests read them by these names.
 */
public final class RunFiles {
    /** The resolved spec and where the run came from. */
    public static final String RUN_JSON = "run.json";
    /** The kept epoch, validation and test figures, and the epoch history. */
    public static final String METRICS = "metrics.json";
    /** The run's page of figures, beside {@link #METRICS}. */
    public static final String REPORT = "report.html";
    /** The published model directory. */
    public static final String MODEL = "model";
    /** A GAN's generated rows, in the data's own columns. */
    public static final String GENERATED = "generated";
    /** A sweep's trial checkpoints and ledger. */
    public static final String TRIALS = "trials";
    /** A sweep's append-only record of every trial event. */
    public static final String LEDGER = TRIALS + "/ledger.jsonl";
    /** A sweep's best trial, tested once and published in a train run's layout. */
    public static final String BEST = "best";
    /** A sweep's table of trials, as CSV and as Parquet. */
    public static final String RESULTS_CSV = "results.csv";

    public static final String RESULTS_PARQUET = "results.parquet";
    /** Written last, when the run ended well. */
    public static final String SUCCESS = "_SUCCESS";
    /** Written by {@code export} beside {@code model.onnx}: the graph's inputs and outputs. */
    public static final String ONNX_INPUTS = "inputs.json";

    private RunFiles() {}
}
