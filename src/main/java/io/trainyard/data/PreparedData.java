package io.trainyard.data;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.source.SourceData;
import io.trainyard.data.split.SplitManifest;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The output of preparation: train, validation and test minibatches, persisted once and reused by every epoch and
 * every trial, with the fitted plan and normaliser that produced them. {@link #close()} releases the cached data.
 *
 * @param timings        milliseconds per preparation stage, in order, for progress and benchmarks
 * @param reconstruction for an autoencoder, the labelled splits and the normal class; null otherwise
 */
public record PreparedData(
        SourceData source,
        FeaturePlan plan,
        NormalizerStats normalizer,
        SplitManifest manifest,
        MinibatchEncoder encoder,
        JavaRDD<DataSet> train,
        JavaRDD<DataSet> validation,
        JavaRDD<DataSet> test,
        Map<String, Long> timings,
        Reconstruction reconstruction)
        implements AutoCloseable {

    /**
     * The same data with the training minibatches re-cut to {@code batchSize} rows (in the same row order), for a
     * trial that trains with another batch size. The copy shares validation and test with this one: close the
     * returned training RDD on its own, never the copy.
     */
    public PreparedData withTrainingBatchSize(int batchSize) {
        JavaRDD<DataSet> rebatched = train.mapPartitions(rows -> new IteratorDataSetIterator(rows, batchSize), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new PreparedData(
                source,
                plan,
                normalizer,
                manifest.withTrainMinibatches(rebatched.count()),
                encoder,
                rebatched,
                validation,
                test,
                timings,
                reconstruction);
    }

    @Override
    public void close() {
        train.unpersist(false);
        validation.unpersist(false);
        test.unpersist(false);
        if (reconstruction != null) {
            reconstruction.unpersist();
        }
    }
}
