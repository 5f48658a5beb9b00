package io.trainyard.cli;

import io.trainyard.job.ExportJob;
import io.trainyard.run.ExitCode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainyard export --model DIR --out DIR}: a saved model as an ONNX graph. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write a saved model as model.onnx (raw input vector in, normalisation folded in) and inputs.json.")
final class ExportCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model directory (runs/<name>/model)")
    Path model;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output directory (replaced atomically)")
    Path out;

    @Override
    public Integer call() {
        long bytes = ExportJob.run(model, out);
        System.out.printf(
                "wrote %s (%,d bytes) and %s%n", out.resolve("model.onnx"), bytes, out.resolve(ExportJob.INPUTS));
        return ExitCode.OK;
    }
}
