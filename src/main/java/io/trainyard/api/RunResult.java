package io.trainyard.api;

import io.trainyard.family.Published;
import io.trainyard.run.Json;
import io.trainyard.run.RunFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * A finished training run: where it was written, the kept epoch, its test figures in a line, and its wall time. The
 * full figures are {@link #metrics()}, read from the run's {@code metrics.json}.
 *
 * @param bestEpoch   the 1-based epoch whose parameters the model holds
 * @param stopReason  why training ended (early stopping, divergence, the epoch budget)
 * @param testSummary the test split's figures in a line, as the command line prints them
 */
public record RunResult(Path runDirectory, int bestEpoch, String stopReason, String testSummary, double seconds) {
    /** {@code metrics.json} as maps, lists, numbers and strings (the keys {@code TrainJob} writes). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> metrics() {
        return Json.read(runDirectory.resolve(RunFiles.METRICS), Map.class);
    }

    /** One test metric by its {@code metrics.json} name ({@code accuracy}, {@code macroF1}, {@code auc}, {@code rmse}...). */
    public double test(String metric) {
        Object test = metrics().get("test");
        Object value = test instanceof Map<?, ?> m ? m.get(metric) : null;
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("the run's test figures have no metric '" + metric + "'");
        }
        return n.doubleValue();
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
        return new RunResult(run.runDirectory(), run.bestEpoch(), run.stopReason(), run.testSummary(), run.seconds());
    }
}
