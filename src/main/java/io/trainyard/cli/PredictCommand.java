package io.trainyard.cli;

import io.trainyard.api.Trainyard;
import io.trainyard.job.PredictJob;
import io.trainyard.run.ExitCode;
import io.trainyard.run.SparkSessions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainyard predict --model DIR --input PARQUET --out DIR}: batch scoring with a saved model. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Apply a saved model to new Parquet and write predictions as Parquet.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions paths;

    @Option(names = "--input", required = true, paramLabel = "PARQUET", description = "Parquet file, directory or glob")
    String input;

    @Option(
            names = "--invalid",
            defaultValue = "flag",
            paramLabel = "POLICY",
            description =
                    "Rows the model cannot score: flag (valid=false, no prediction) or fail (default ${DEFAULT-VALUE})")
    String invalid;

    @Override
    public Integer call() {
        PredictJob.InvalidRows policy =
                io.trainyard.spec.check.SpecEnums.parse("--invalid", invalid, PredictJob.InvalidRows.class);
        long start = System.nanoTime();
        Trainyard.Predictions written = Trainyard.predict(
                SparkSessions.start("trainyard-predict"),
                paths.model,
                input,
                paths.out,
                policy == PredictJob.InvalidRows.FAIL);
        System.out.printf(
                "scored %,d rows (%,d flagged invalid) into %s in %.1f s%n",
                written.rows(), written.flagged(), paths.out, (System.nanoTime() - start) / 1e9);
        return ExitCode.OK;
    }
}
