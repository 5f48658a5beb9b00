package io.trainyard.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark MLlib's {@link MultilayerPerceptronClassifier} (L-BFGS, its default solver) on the benchmark's own prepared
 * minibatches, with the same layer widths: the reference most Spark users would try first.
 *
 * <p>MLlib has no per-iteration callback, so it is trained in chunks of {@code chunk} iterations, each continuing
 * from the previous chunk's weights, and the validation accuracy is measured between chunks (outside the timer).
 * Training stops when {@code patience} chunks in a row bring no improvement, or at the iteration or time budget.
 */
public final class MllibReference {
    private static final Logger LOG = LoggerFactory.getLogger(MllibReference.class);
    private static final StructType SCHEMA =
            new StructType().add("label", DataTypes.DoubleType, false).add("features", new VectorUDT(), false);

    /** One chunk's end: cumulative training seconds and iterations, and the validation accuracy there. */
    record Point(double seconds, int iterations, double validationAccuracy) {}

    /** The budget: iterations per chunk, at most this many iterations and seconds, chunks without improvement. */
    public record Budget(int chunk, int maxIterations, double maxSeconds, int patience) {
        /** The command's defaults: chunks of 10 iterations, at most 300 iterations or 15 minutes, patience 3. */
        public static final Budget DEFAULT = new Budget(10, 300, 900, 3);
    }

    private MllibReference() {}

    static List<Point> train(
            SparkSession spark,
            JavaRDD<DataSet> train,
            JavaRDD<DataSet> validation,
            int[] layers,
            long seed,
            Budget budget) {
        Dataset<Row> trainRows = rows(spark, train).cache();
        Dataset<Row> validationRows = rows(spark, validation).cache();
        LOG.info("MLlib reference: {} train rows, layers {}", trainRows.count(), java.util.Arrays.toString(layers));
        validationRows.count();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        List<Point> points = new ArrayList<>();
        org.apache.spark.ml.linalg.Vector weights = null;
        double seconds = 0;
        double best = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        try {
            for (int iterations = 0;
                    iterations < budget.maxIterations()
                            && seconds < budget.maxSeconds()
                            && sinceBest < budget.patience(); ) {
                MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                        .setLayers(layers)
                        .setMaxIter(budget.chunk())
                        .setSeed(seed);
                if (weights != null) {
                    mlp.setInitialWeights(weights);
                }
                long start = System.nanoTime();
                MultilayerPerceptronClassificationModel model = mlp.fit(trainRows);
                seconds += (System.nanoTime() - start) / 1e9;
                iterations += budget.chunk();
                weights = model.weights();
                double acc = accuracy.evaluate(model.transform(validationRows));
                points.add(new Point(seconds, iterations, acc));
                LOG.info(
                        "MLlib reference: {} iterations, {} s, validation accuracy {}",
                        iterations,
                        String.format("%.1f", seconds),
                        String.format("%.4f", acc));
                sinceBest = acc > best ? 0 : sinceBest + 1;
                best = Math.max(best, acc);
            }
        } finally {
            trainRows.unpersist();
            validationRows.unpersist();
        }
        return points;
    }

    /** The first point with the best validation accuracy: MLlib's best, and the time it took to get there. */
    static Point best(List<Point> points) {
        Point best = points.get(0);
        for (Point p : points) {
            if (p.validationAccuracy() > best.validationAccuracy()) {
                best = p;
            }
        }
        return best;
    }

    /** One (label, features) row per example; the label is the class index (a one-column label is 0/1). */
    private static Dataset<Row> rows(SparkSession spark, JavaRDD<DataSet> minibatches) {
        JavaRDD<Row> rows = minibatches.flatMap(ds -> {
            INDArray features = ds.getFeatures();
            INDArray labels = ds.getLabels();
            List<Row> out = new ArrayList<>((int) features.rows());
            for (int i = 0; i < features.rows(); i++) {
                INDArray label = labels.getRow(i);
                double index = label.length() == 1
                        ? Math.round(label.getDouble(0))
                        : label.argMax().getDouble(0);
                out.add(RowFactory.create(
                        index, Vectors.dense(features.getRow(i).toDoubleVector())));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, SCHEMA);
    }
}
