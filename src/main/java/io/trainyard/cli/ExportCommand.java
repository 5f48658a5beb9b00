package io.trainyard.cli;

import io.trainyard.api.Trainyard;
import io.trainyard.run.ExitCode;
import io.trainyard.run.RunFiles;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trainyard export --model DIR --out DIR}: a saved model as an ONNX graph. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write a saved model as model.onnx (raw input vector in, normalisation folded in) and inputs.json.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions paths;

    @Override
    public Integer call() {
        long bytes = Trainyard.exportOnnx(paths.model, paths.out);
        System.out.printf(
                "wrote %s (%,d bytes) and %s%n",
                paths.out.resolve("model.onnx"), bytes, paths.out.resolve(RunFiles.ONNX_INPUTS));
        return ExitCode.OK;
    }
}
