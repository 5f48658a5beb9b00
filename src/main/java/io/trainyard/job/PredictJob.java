package io.trainyard.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.trainyard.artifact.ModelArtifact;
import io.trainyard.data.MinibatchEncoder;
import io.trainyard.data.RowEncoder;
import io.trainyard.data.SequenceWindows;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.source.DataException;
import io.trainyard.data.source.ParquetSource;
import io.trainyard.data.source.SourceData;
import io.trainyard.evaluate.AnomalyDetection;
import io.trainyard.model.NetworkFiles;
import io.trainyard.run.OutputDirectory;
import io.trainyard.run.Preflight;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.run.SparkSessions;
import io.trainyard.spec.data.Task;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch scoring: applies a saved model to new Parquet on Spark, with the model's own feature plan and normaliser,
 * and writes Parquet with the id columns, the prediction, the class probabilities and a {@code valid} flag. A row
 * whose inputs the model cannot take (a null where the model learned no fill value) is flagged, or refused with
 * {@code --invalid fail}; it is never dropped.
 */
public final class PredictJob {
    /** Rows per forward pass. */
    private static final int BATCH = 1024;

    private static final String VALID = "__valid";
    private static final String CALLER_ROW = "__trainyard_row";

    /** What to do with rows the model cannot score. */
    public enum InvalidRows {
        FLAG,
        FAIL
    }

    private PredictJob() {}

    /** Scores {@code input} and returns the number of rows written and flagged. */
    public static long[] run(SparkSession spark, Path modelDir, String input, Path out, InvalidRows invalid) {
        Map<String, String> inputs = Map.of("--input", input, "--model", modelDir.toString());
        OutputDirectory.requireWritable(out, OutputDirectory.Kind.PREDICTIONS, "--out", inputs);
        ModelArtifact.Loaded model = ModelArtifact.load(modelDir);
        requireScoresRows(model, modelDir);
        Dataset<Row> scored = score(spark, model, model.plan(), ParquetSource.open(spark, input), invalid);
        Preflight.requireWritableByExecutors(
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                out.toAbsolutePath().getParent(),
                "--out's parent directory");
        Row[] counts = new Row[1];
        RunDirectory.publishDirectory(out, tmp -> {
            scored.write().parquet(tmp.toString());
            counts[0] = spark.read()
                    .parquet(tmp.toString())
                    .agg(count(lit(1)), count(when(col("valid").equalTo(false), 1)))
                    .first();
            OutputDirectory.mark(tmp, OutputDirectory.Kind.PREDICTIONS);
            // Scoring took a while: whatever appeared at --out meanwhile is checked again before it is replaced.
            OutputDirectory.requireWritable(out, OutputDirectory.Kind.PREDICTIONS, "--out", inputs);
        });
        return new long[] {counts[0].getLong(0), counts[0].getLong(1)};
    }

    /** Refuses a GAN's generator, which scores no rows. */
    public static void requireScoresRows(ModelArtifact.Loaded model, Path modelDir) {
        if (model.manifest().generator()) {
            throw new io.trainyard.run.UserInputException(
                    "--model: " + modelDir + " is a GAN's generator: it scores no "
                            + "rows (its generated rows are in the run's " + RunFiles.GENERATED + "/ directory)");
        }
    }

    /**
     * Scores a caller's frame lazily: every column of it, then the prediction columns (as {@code predict} writes
     * them; rows the model cannot take are flagged {@code valid = false}). A windowed model returns one row per
     * window instead: its series and last order value, then the forecast.
     *
     * @param what names the frame in errors
     */
    public static Dataset<Row> transform(
            SparkSession spark, ModelArtifact.Loaded model, Dataset<Row> frame, String what) {
        // A caller's session (the library API's Transformer): its frame never went through ParquetSource.open.
        SparkSessions.withoutSubstitution(spark);
        FeaturePlan plan = model.plan();
        if (plan.windows() != null) {
            return score(spark, model, plan, new SourceData(what, frame, List.of(), 0, "", 0), InvalidRows.FLAG);
        }
        List<String> columns = List.of(frame.columns());
        for (StructField added : transformSchema(model, new StructType()).fields()) {
            if (columns.contains(added.name())) {
                throw new DataException(what + " already has a column '" + added.name() + "', which the model adds; "
                        + "rename or drop it first");
            }
        }
        // The caller's whole row travels through scoring as one struct id, and is unpacked after it.
        Column whole = org.apache.spark.sql.functions.struct(
                columns.stream().map(c -> col("`" + c.replace("`", "``") + "`")).toArray(Column[]::new));
        SourceData carried = new SourceData(what, frame.withColumn(CALLER_ROW, whole), List.of(), 0, "", 0);
        Dataset<Row> scored = score(spark, model, plan.withId(List.of(CALLER_ROW)), carried, InvalidRows.FLAG);
        List<Column> out = new ArrayList<>();
        out.add(col(CALLER_ROW + ".*"));
        for (String c : scored.columns()) {
            if (!c.equals(CALLER_ROW)) {
                out.add(col(c));
            }
        }
        return scored.select(out.toArray(Column[]::new));
    }

    /** The prediction columns a model adds to a frame of {@code input}'s schema (see {@link #transform}). */
    public static StructType transformSchema(ModelArtifact.Loaded model, StructType input) {
        FeaturePlan plan = model.plan();
        StructType added = outputSchema(
                plan.withId(List.of()), new StructType(), model.manifest().anomaly());
        StructType out = input;
        if (plan.windows() != null) {
            out = new StructType();
            List<String> names = List.of(input.fieldNames());
            for (String id : plan.id()) {
                if (!names.contains(id)) {
                    throw new DataException("the frame has no column '" + id + "', which the model's windows are "
                            + "identified by (columns: " + String.join(", ", names) + ")");
                }
                out = out.add(input.apply(id));
            }
        }
        for (StructField f : added.fields()) {
            out = out.add(f);
        }
        return out;
    }

    static Dataset<Row> score(
            SparkSession spark, ModelArtifact.Loaded model, FeaturePlan plan, SourceData source, InvalidRows invalid) {
        if (plan.windows() != null && plan.windows().levelFree()) {
            // The window's spread and level travel beside the ids, each forecast is multiplied by the one and has the
            // other added back, and neither is an output.
            List<String> ids = new ArrayList<>(plan.id());
            if (plan.windows().spreadFree()) {
                ids.add(SequenceWindows.SPREAD);
            }
            ids.add(SequenceWindows.LEVEL);
            return scoreRows(spark, model, plan.withId(ids), source, invalid)
                    .drop(SequenceWindows.LEVEL, SequenceWindows.SPREAD);
        }
        return scoreRows(spark, model, plan, source, invalid);
    }

    private static Dataset<Row> scoreRows(
            SparkSession spark, ModelArtifact.Loaded model, FeaturePlan plan, SourceData source, InvalidRows invalid) {
        Dataset<Row> frame = plan.windows() == null
                ? source.frame()
                : SequenceWindows.forScoring(source.frame(), plan.windows(), source.path());
        List<String> sourceColumns = List.of(frame.columns());
        for (String id : plan.id()) {
            if (!sourceColumns.contains(id)) {
                throw new DataException("predict: id column '" + id + "' not found in " + source.path() + " (columns: "
                        + String.join(", ", sourceColumns) + ")");
            }
        }
        Dataset<Row> derived;
        try {
            derived = RowEncoder.derive(frame, plan);
            derived.schema();
        } catch (Exception e) {
            throw new DataException(
                    "predict: the model's features cannot be computed from " + source.path() + ": "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        List<Column> columns = new ArrayList<>();
        for (String id : plan.id()) {
            columns.add(col("`" + id + "`"));
        }
        columns.add(RowEncoder.complete(plan).as(VALID));
        columns.addAll(RowEncoder.inputColumns(plan, model.normalizer()));
        Dataset<Row> encoded = derived.select(columns.toArray(Column[]::new));
        if (invalid == InvalidRows.FAIL) {
            long bad = encoded.where(col(VALID).equalTo(false)).count();
            if (bad > 0) {
                throw new DataException("predict: " + bad + " rows of " + source.path() + " have null inputs the model "
                        + "has no fill value for (it was trained with data.nulls = fail or drop); "
                        + "use --invalid flag to score the rest and flag these");
            }
        }
        AnomalyDetection.AnomalyModel anomaly = model.manifest().anomaly();
        StructType outSchema = outputSchema(plan, derived.schema(), anomaly);
        Broadcast<byte[]> broadcast =
                JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.networkBytes());
        RowScorer scorer = new RowScorer(
                plan, broadcast, plan.id().size(), anomaly, model.manifest().threshold());
        return encoded.mapPartitions(scorer::score, Encoders.row(outSchema));
    }

    private static StructType outputSchema(
            FeaturePlan plan, StructType selected, AnomalyDetection.AnomalyModel anomaly) {
        List<StructField> fields = new ArrayList<>();
        for (String id : plan.id()) {
            fields.add(selected.apply(id));
        }
        if (anomaly != null) {
            // An autoencoder: the reconstruction error, whether it passes the threshold, and the compressed features.
            fields.add(DataTypes.createStructField("anomaly_score", DataTypes.DoubleType, true));
            fields.add(DataTypes.createStructField("anomaly", DataTypes.BooleanType, true));
            fields.add(
                    DataTypes.createStructField("code", DataTypes.createArrayType(DataTypes.DoubleType, false), true));
        } else if (plan.task() == Task.REGRESSION) {
            // A forecast of several steps is one array, nearest step first.
            fields.add(DataTypes.createStructField(
                    "prediction",
                    plan.targets() > 1 ? DataTypes.createArrayType(DataTypes.DoubleType, false) : DataTypes.DoubleType,
                    true));
        } else {
            fields.add(DataTypes.createStructField("prediction", DataTypes.StringType, true));
            for (String c : plan.classes()) {
                fields.add(DataTypes.createStructField(
                        "probability_" + c.replaceAll("[^A-Za-z0-9_]", "_"), DataTypes.DoubleType, true));
            }
        }
        fields.add(DataTypes.createStructField("valid", DataTypes.BooleanType, false));
        return DataTypes.createStructType(fields);
    }

    /** Runs on executors: rebuilds the network once per partition and scores rows a batch at a time. */
    static final class RowScorer implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final FeaturePlan plan;
        private final Broadcast<byte[]> network;
        private final int ids;
        private final AnomalyDetection.AnomalyModel anomaly;
        private final double threshold;

        /** @param threshold a binary model's decision threshold on the positive class's probability */
        RowScorer(
                FeaturePlan plan,
                Broadcast<byte[]> network,
                int ids,
                AnomalyDetection.AnomalyModel anomaly,
                double threshold) {
            this.plan = plan;
            this.network = network;
            this.ids = ids;
            this.anomaly = anomaly;
            this.threshold = threshold;
        }

        Iterator<Row> score(Iterator<Row> rows) throws IOException {
            MultiLayerNetwork net =
                    NetworkFiles.read(new ByteArrayInputStream(network.value()), false, ModelArtifact.NETWORK);
            RowEncoder encoder = new RowEncoder(plan);
            int width = encoder.width();
            List<Row> out = new ArrayList<>();
            List<Row> batch = new ArrayList<>(BATCH);
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == BATCH || !rows.hasNext()) {
                    float[] x = new float[batch.size() * width];
                    for (int r = 0; r < batch.size(); r++) {
                        encoder.fill(x, r * width, batch.get(r), ids + 1);
                    }
                    INDArray inputs = Nd4j.create(x, new long[] {batch.size(), width}, DataType.FLOAT);
                    if (anomaly != null) {
                        double[] scores = AnomalyDetection.rowErrors(
                                net,
                                inputs,
                                anomaly.score().equals("mae")
                                        ? io.trainyard.spec.model.Loss.MAE
                                        : io.trainyard.spec.model.Loss.MSE);
                        INDArray codes = net.feedForwardToLayer(anomaly.codeLayer(), inputs)
                                .get(anomaly.codeLayer() + 1);
                        for (int r = 0; r < batch.size(); r++) {
                            out.add(anomalyRow(
                                    batch.get(r), scores[r], codes.getRow(r).toDoubleVector()));
                        }
                    } else {
                        INDArray y = plan.tokenSequence()
                                ? net.output(inputs, false, MinibatchEncoder.tokenMask(inputs), null)
                                : net.output(inputs);
                        for (int r = 0; r < batch.size(); r++) {
                            out.add(toRow(batch.get(r), y, r));
                        }
                    }
                    batch.clear();
                }
            }
            return out.iterator();
        }

        private Row anomalyRow(Row in, double score, double[] code) {
            boolean valid = in.getBoolean(ids);
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < ids; i++) {
                values.add(in.get(i));
            }
            values.add(valid ? score : null);
            values.add(valid ? score > anomaly.threshold() : null);
            values.add(valid ? seq(code) : null);
            values.add(valid);
            return RowFactory.create(values.toArray());
        }

        private static Object seq(double[] values) {
            return scala.collection.JavaConverters.asScalaBuffer(
                            java.util.Arrays.stream(values).boxed().toList())
                    .toSeq();
        }

        private Row toRow(Row in, INDArray y, int r) {
            boolean valid = in.getBoolean(ids);
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < ids; i++) {
                values.add(in.get(i));
            }
            // A level-free forecast is a change from the window's last value, its last id; a spread-free one's is in
            // units of the window's spread, the id before it.
            boolean levelFree = plan.windows() != null && plan.windows().levelFree();
            boolean spreadFree = levelFree && plan.windows().spreadFree();
            if ((levelFree && in.isNullAt(ids - 1)) || (spreadFree && in.isNullAt(ids - 2))) {
                valid = false;
            }
            double level = levelFree && valid ? in.getDouble(ids - 1) : 0;
            double spread = spreadFree && valid ? in.getDouble(ids - 2) : 1;
            if (plan.task() == Task.REGRESSION && plan.targets() > 1) {
                double[] forecast = new double[plan.targets()];
                for (int k = 0; k < forecast.length; k++) {
                    forecast[k] = level + spread * plan.originalUnits(y.getDouble(r, k));
                }
                values.add(valid ? seq(forecast) : null);
            } else if (plan.task() == Task.REGRESSION) {
                values.add(valid ? level + spread * plan.originalUnits(y.getDouble(r, 0)) : null);
            } else {
                int k = plan.classes().size();
                double[] p = new double[k];
                if (y.size(1) == 1) {
                    p[1] = y.getDouble(r, 0);
                    p[0] = 1 - p[1];
                } else {
                    for (int c = 0; c < k; c++) {
                        p[c] = y.getDouble(r, c);
                    }
                }
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                if (k == 2) {
                    // The published decision threshold; at 0.5 this is the argmax above.
                    best = p[1] > threshold ? 1 : 0;
                }
                values.add(valid ? plan.classes().get(best) : null);
                for (double v : p) {
                    values.add(valid ? v : null);
                }
            }
            values.add(valid);
            return RowFactory.create(values.toArray());
        }
    }
}
