package io.trainyard.data;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The output of preparation: train, validation and test minibatches, persisted once and reused by every epoch and
 * every trial, with the fitted plan and normaliser that produced them. {@link #close()} releases the cached data.
 *
 * @param timings milliseconds per preparation stage, in order, for progress and benchmarks
 */
public record PreparedData(SourceData source, FeaturePlan plan, NormalizerStats normalizer, SplitManifest manifest,
                           MinibatchEncoder encoder, JavaRDD<DataSet> train, JavaRDD<DataSet> validation,
                           JavaRDD<DataSet> test, Map<String, Long> timings) implements AutoCloseable {

    @Override
    public void close() {
        train.unpersist(false);
        validation.unpersist(false);
        test.unpersist(false);
    }
}
