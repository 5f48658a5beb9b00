package io.trainyard.api;

import io.trainyard.family.Published;
import io.trainyard.job.ExportJob;
import io.trainyard.job.PredictJob;
import io.trainyard.job.SweepJob;
import io.trainyard.job.TrainJob;
import io.trainyard.run.Preflight;
import io.trainyard.run.SparkSessions;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Entry points for a caller's own Spark job. Specs are the same HOCON the command line takes, layered over the same
 * defaults and checked the same way; runs write the same run directories. Errors are the command line's: a
 * {@code io.trainyard.run.UserInputException} (a spec's or the data's fault) or
 * {@code io.trainyard.run.ConfigurationException} (a Spark setting refused), with a one-line message naming the key,
 * file, column or setting at fault.
 */
public final class Trainyard {
    private Trainyard() {}

    /**
     * Fills into {@code conf} the Spark settings Trainyard needs where they are absent (Kryo with ND4J's registrator,
     * timestamps in UTC, fair scheduling for concurrent trials, HotSpot's compile limit for generated code); give it to
     * {@code SparkSession.builder().config(...)} before the session starts, since Spark reads most of them only then.
     */
    public static SparkConf sparkConf(SparkConf conf) {
        return SparkSessions.withRequiredSettings(conf, "trainyard");
    }

    /** A spec file, with {@code key=value} overrides on top (as {@code --set} gives them). */
    public static JobSpec spec(Path file, String... overrides) {
        return SpecLoader.load(file, List.of(overrides));
    }

    /** A spec from HOCON text, with {@code key=value} overrides on top. */
    public static JobSpec spec(String hocon, String... overrides) {
        return SpecLoader.parse(hocon, List.of(overrides));
    }

    /**
     * Trains the spec's model (a GAN included) on {@code spark}, tests the kept model once and publishes the run into
     * {@code out}, as {@code trainyard train --out} does. The session is used as it is and left running; settings
     * that would break training (Kryo without ND4J's registrator, say) are refused, naming the setting.
     */
    public static RunResult train(SparkSession spark, JobSpec spec, Path out) {
        Preflight.checkSettings(spark.sparkContext().getConf());
        Published<?> run = TrainJob.run(spark, spec, out);
        return RunResult.of(run);
    }

    /**
     * Runs the spec's sweep on {@code spark} into {@code out} (resuming a sweep stopped there before), tests the best
     * trial once and publishes it as {@code out/best}, as {@code trainyard sweep --out} does.
     */
    public static SweepResult sweep(SparkSession spark, JobSpec spec, Path out) {
        Preflight.checkSettings(spark.sparkContext().getConf());
        return SweepResult.of(SweepJob.run(spark, spec, out));
    }

    /** What {@link #predict} wrote: rows scored, and of those the ones flagged {@code valid = false}. */
    public record Predictions(long rows, long flagged) {}

    /**
     * Scores Parquet ({@code input}: a file, directory or glob) with a saved model and writes Parquet into {@code out}
     * (the ids, the prediction columns and {@code valid}), as {@code trainyard predict} does.
     *
     * @param failOnInvalidRows refuse the input when a row has a null the model has no fill value for, instead of
     *                          flagging it
     */
    public static Predictions predict(
            SparkSession spark, Path modelDirectory, String input, Path out, boolean failOnInvalidRows) {
        long[] counts = PredictJob.run(
                spark,
                modelDirectory,
                input,
                out,
                failOnInvalidRows ? PredictJob.InvalidRows.FAIL : PredictJob.InvalidRows.FLAG);
        return new Predictions(counts[0], counts[1]);
    }

    /**
     * Writes a saved model as ONNX into {@code out}: {@code model.onnx} and {@code inputs.json}, as
     * {@code trainyard export} does. No Spark. Returns the graph's size in bytes.
     */
    public static long exportOnnx(Path modelDirectory, Path out) {
        return ExportJob.run(modelDirectory, out);
    }

    /** A saved model directory ({@code model/} of a run), checked as {@code predict} checks it. */
    public static TrainyardModel model(Path directory) {
        return TrainyardModel.load(directory);
    }
}
