package io.trainyard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of commands that read a saved model and write one output directory: predict and export. */
final class ModelOptions {
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
}
