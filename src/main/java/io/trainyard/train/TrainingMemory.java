package io.trainyard.train;

import io.trainyard.model.GanFactory;
import io.trainyard.model.NetworkFactory;
import io.trainyard.model.NetworkMemory;
import io.trainyard.run.Preflight;
import io.trainyard.spec.JobSpec;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The memory preflight of a training job: refuses a network that cannot fit off-heap (exit 5), once from the spec
 * alone before any data is read, and again exactly once the configuration is built, before ND4J allocates it.
 */
public final class TrainingMemory {
    private TrainingMemory() {}

    /** The check from the spec alone: every input and output taken as one value wide. */
    public static void requireFits(JavaSparkContext sc, JobSpec spec, int workers) {
        requireFits(sc, spec, workers, NetworkMemory.lowerBound(spec));
    }

    /** The exact check of a built network taking {@code inputWidth} inputs. */
    public static void requireFits(
            JavaSparkContext sc, JobSpec spec, int workers, MultiLayerConfiguration conf, int inputWidth) {
        requireFits(
                sc,
                spec,
                workers,
                NetworkMemory.of(
                        conf, NetworkFactory.inputType(spec, inputWidth), NetworkFactory.updater(spec.train())));
    }

    /** The exact check of a GAN: its discriminator and its generator-discriminator stack train side by side. */
    public static void requireFits(JavaSparkContext sc, JobSpec spec, int workers, GanFactory.Gan gan, int rowWidth) {
        NetworkMemory.Estimate discriminator = NetworkMemory.of(
                gan.discriminator(), InputType.feedForward(rowWidth), NetworkFactory.updater(spec.train()));
        NetworkMemory.Estimate stack = NetworkMemory.of(
                gan.stack(), InputType.feedForward(spec.model().gan().noise()), NetworkFactory.updater(spec.train()));
        requireFits(sc, spec, workers, discriminator.plus(stack));
    }

    public static void requireFits(JavaSparkContext sc, JobSpec spec, int workers, NetworkMemory.Estimate estimate) {
        Preflight.requireOffHeap(
                sc.getConf(),
                sc.isLocal(),
                NetworkMemory.layersKey(spec),
                estimate.parameters(),
                estimate.driverBytes(),
                estimate.workerBytes(spec.train().batchSize()),
                workers);
    }
}
