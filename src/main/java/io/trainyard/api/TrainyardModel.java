package io.trainyard.api;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.artifact.RunProvenance;
import io.trainyard.job.PredictJob;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A saved model that scores a caller's {@code Dataset<Row>}: {@link #transform} keeps every column and adds the
 * columns {@code predict} writes ({@code prediction} and {@code probability_<class>}, or {@code prediction} in the
 * label's units, or {@code anomaly_score}, {@code anomaly} and {@code code}; then {@code valid}), computing the model's
 * features from the frame with its own plan and normaliser. A Spark ML {@link Transformer}, so it is also a
 * {@code Pipeline} stage. A windowed model (a forecast) returns one row per window: the series, the window's last
 * order value and the forecast.
 *
 * <p>Loading checks the directory as {@code predict} does (checksums, signature when a key is configured, the plan's
 * SQL). The model has no Spark ML params; saved as a stage ({@link #write()}, or inside a {@code PipelineModel}), it
 * is Spark's metadata beside a copy of the model directory.
 */
public final class TrainyardModel extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final String directory;
    /** Read again from {@link #directory} when this stage arrives deserialised. */
    private transient ModelArtifact.Loaded model;

    private TrainyardModel(String uid, String directory, ModelArtifact.Loaded model) {
        this.uid = uid;
        this.directory = directory;
        this.model = model;
    }

    /** Loads a saved model directory ({@code model/} of a run). */
    public static TrainyardModel load(Path directory) {
        return restore(Identifiable$.MODULE$.randomUID("trainyard"), directory);
    }

    /** A model saved with {@link #write()}, alone or as a stage of a saved {@code PipelineModel}, is read again. */
    static TrainyardModel restore(String uid, Path directory) {
        ModelArtifact.Loaded model = ModelArtifact.load(directory);
        PredictJob.requireScoresRows(model, directory);
        return new TrainyardModel(uid, directory.toString(), model);
    }

    /**
     * Saves this stage where Spark ML saves stages: Spark's metadata and a copy of the model directory (checked again,
     * checksums and signature, when it is read back). With it a {@code PipelineModel} holding the model saves and
     * loads as any other.
     */
    @Override
    public MLWriter write() {
        return new SavedStage.Writer(this);
    }

    /** Reads a stage {@link #write()} saved; Spark ML's {@code PipelineModel.load} finds it by this name. */
    public static MLReader<TrainyardModel> read() {
        return new SavedStage.Reader();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return PredictJob.transform(dataset.sparkSession(), loaded(), dataset.toDF(), "the frame given to " + uid);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return PredictJob.transformSchema(loaded(), schema);
    }

    @Override
    public TrainyardModel copy(ParamMap extra) {
        return new TrainyardModel(uid, directory, model);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Path directory() {
        return Path.of(directory);
    }

    /** {@code classification} or {@code regression}. */
    public String task() {
        return loaded().manifest().task();
    }

    /** The classes in output order; empty for a regression. */
    public List<String> classes() {
        return loaded().plan().classes();
    }

    /** The columns or SQL expressions the model computes its features from, in the spec's order. */
    public List<String> features() {
        return loaded().plan().features().stream().map(f -> f.expression()).toList();
    }

    /**
     * Where the model came from: its run's resolved spec, data fingerprint, seeds and Spark, as its {@code model.json}
     * carries them (null for a model published before models carried it).
     */
    public RunProvenance provenance() {
        return loaded().manifest().provenance();
    }

    private ModelArtifact.Loaded loaded() {
        if (model == null) {
            model = ModelArtifact.load(Path.of(directory));
        }
        return model;
    }
}
