package io.trainyard.data;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.source.DataException;
import io.trainyard.data.split.SplitCounts;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Prepared data as an autoencoder trains on it: every minibatch's inputs are also its targets, and, when the rows
 * are labelled, only rows of the normal class train and validate (an autoencoder learns what normal looks like).
 * The labelled validation and test minibatches are kept for choosing the anomaly threshold and scoring detection.
 *
 * @param normalClass         index of the normal class among the labelled plan's classes; -1 when unlabelled
 * @param labelledValidation  validation minibatches as prepared, labels kept
 * @param labelledTest        test minibatches as prepared, labels kept
 * @param thresholdPercentile the anomaly threshold's percentile of validation reconstruction errors
 * @param codeLayer           the network layer whose activations are the compressed features
 */
public record Reconstruction(
        int normalClass,
        String normalName,
        JavaRDD<DataSet> labelledValidation,
        JavaRDD<DataSet> labelledTest,
        double thresholdPercentile,
        int codeLayer)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The reconstruction view of {@code data}; {@code normalClass} names the normal class (empty = the train split's
     * most frequent).
     */
    public static PreparedData of(PreparedData data, String normalClass, double thresholdPercentile, int codeLayer) {
        FeaturePlan plan = data.plan();
        int normal = -1;
        String normalName = "";
        if (!plan.classes().isEmpty()) {
            normalName = normalClass.isEmpty() ? mostFrequent(data.manifest().strata()) : normalClass;
            normal = plan.classes().indexOf(normalName);
            if (normal < 0) {
                throw new DataException("model.normal-class: '" + normalClass + "' is not a class of data.label "
                        + "(classes: " + String.join(", ", plan.classes()) + ")");
            }
        }
        int keep = normal;
        JavaRDD<DataSet> train = data.train()
                .map(ds -> reconstruct(ds, keep))
                .filter(ds -> ds.numExamples() > 0)
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<DataSet> validation = data.validation()
                .map(ds -> reconstruct(ds, keep))
                .filter(ds -> ds.numExamples() > 0)
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<DataSet> test = data.test().map(ds -> reconstruct(ds, -1)).persist(StorageLevel.MEMORY_AND_DISK());
        long minibatches = train.count();
        // The labelled training minibatches are not needed again once the reconstruction copy is cached.
        data.train().unpersist(false);
        if (minibatches == 0) {
            throw new DataException("model.normal-class: no train rows of class '" + normalName + "' to learn from");
        }
        FeaturePlan reconstructs = new FeaturePlan(
                io.trainyard.spec.data.Task.REGRESSION,
                plan.label(),
                plan.labelKind(),
                plan.features(),
                plan.id(),
                plan.inputs(),
                List.of(),
                plan.inputWidth(),
                plan.inputWidth(),
                plan.windows(),
                null,
                null,
                null);
        return new PreparedData(
                data.source(),
                reconstructs,
                data.normalizer(),
                data.manifest().withTrainMinibatches(minibatches),
                data.encoder(),
                train,
                validation,
                test,
                data.timings(),
                new Reconstruction(normal, normalName, data.validation(), data.test(), thresholdPercentile, codeLayer));
    }

    /** The minibatch with its inputs as targets: every row, or only rows of class {@code keep} when it is >= 0. */
    static DataSet reconstruct(DataSet ds, int keep) {
        INDArray x = ds.getFeatures();
        if (keep < 0) {
            return new DataSet(x, x.dup());
        }
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < ds.numExamples(); r++) {
            if (classOf(ds.getLabels(), r) == keep) {
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            return new DataSet(
                    x.getRows(new int[0]).dup(), x.getRows(new int[0]).dup());
        }
        INDArray kept = x.getRows(rows.stream().mapToInt(Integer::intValue).toArray());
        return new DataSet(kept, kept.dup());
    }

    /** The class index of row {@code r}: the one-hot position, or the 0/1 value of a binary column. */
    public static int classOf(INDArray labels, int r) {
        if (labels.size(1) == 1) {
            return labels.getDouble(r, 0) > 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < labels.size(1); c++) {
            if (labels.getDouble(r, c) > labels.getDouble(r, best)) {
                best = c;
            }
        }
        return best;
    }

    private static String mostFrequent(Map<String, SplitCounts> strata) {
        return strata.entrySet().stream()
                .max(java.util.Comparator.comparingLong(e -> e.getValue().train()))
                .orElseThrow()
                .getKey();
    }

    void unpersist() {
        labelledValidation.unpersist(false);
        labelledTest.unpersist(false);
    }
}
