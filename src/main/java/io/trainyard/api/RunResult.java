package io.trainyard.api;

import io.trainyard.evaluate.Metrics;
import io.trainyard.family.NetworkMetrics;
import io.trainyard.family.Published;
import io.trainyard.family.RunMetrics;
import io.trainyard.run.RunFiles;
import java.nio.file.Path;

/**
 * A finished training run: where it was written and its figures, the object the run's {@code metrics.json} was
 * written from.
 */
public record RunResult(Path runDirectory, RunMetrics metrics) {
    /** The 1-based epoch whose parameters the model holds. */
    public int bestEpoch() {
        return metrics.bestEpoch();
    }

    /** Why training ended (early stopping, divergence, the epoch budget). */
    public String stopReason() {
        return metrics.stopReason();
    }

    /** The test split's figures in a line, as the command line prints them. */
    public String testSummary() {
        return metrics.testSummary();
    }

    public double seconds() {
        return metrics.seconds();
    }

    /** A network's test metrics ({@code accuracy()}, {@code macroF1()}, {@code rmse()}...); a GAN has none. */
    public Metrics test() {
        if (metrics instanceof NetworkMetrics network) {
            return network.test();
        }
        throw new IllegalStateException(
                "a GAN's test figure is its MMD (metrics().test().mmd2()), not a network's metrics");
    }

    public Path modelDirectory() {
        return runDirectory.resolve(RunFiles.MODEL);
    }

    /** The run's page of figures. */
    public Path report() {
        return runDirectory.resolve(RunFiles.REPORT);
    }

    /** The trained model, loaded from {@link #modelDirectory()}. */
    public TrainyardModel model() {
        return TrainyardModel.load(modelDirectory());
    }

    /** Where a GAN's generated rows were written; empty for other models. */
    public java.util.Optional<Path> generatedRows() {
        Path generated = runDirectory.resolve(RunFiles.GENERATED);
        return java.nio.file.Files.isDirectory(generated)
                ? java.util.Optional.of(generated)
                : java.util.Optional.empty();
    }

    /** A run as its family published it. */
    static RunResult of(Published<?> run) {
        return new RunResult(run.runDirectory(), run.metrics());
    }
}
