package io.trainyard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.data.Task;
import io.trainyard.testing.TestSpecs;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The memory estimate's arithmetic, checked against hand counts and against what DL4J allocates. */
class NetworkMemoryTest {
    @Test
    void anMlpCountsItsParametersOptimiserStateAndActivations() {
        JobSpec spec = TestSpecs.spec("/x", "y", "model.hidden=[4]", "train.optimizer=adam");
        MultiLayerConfiguration conf =
                NetworkFactory.build(spec, 3, OutputHead.choose(Task.CLASSIFICATION, 3, spec.model()));
        NetworkMemory.Estimate e =
                NetworkMemory.of(conf, NetworkFactory.inputType(spec, 3), NetworkFactory.updater(spec.train()));
        // 3 -> 4 -> 3: (3 x 4 + 4) + (4 x 3 + 3) parameters; Adam keeps two values per parameter.
        assertEquals(31, e.parameters());
        assertEquals(62, e.updaterState());
        assertEquals(4 + 3, e.activationsPerExample());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(net.numParams(), e.parameters());
        assertEquals(net.getUpdater().getStateViewArray().length(), e.updaterState());
        assertEquals(Float.BYTES * (2 * 31 + 62 + 2 * 10 * 7), e.workerBytes(10));
        assertEquals(Float.BYTES * (31 + 62), e.driverBytes());
    }

    @Test
    void theSpecAloneGivesALowerBound() {
        JobSpec spec = TestSpecs.spec("/x", "y", "model.hidden=[100000000]", "train.optimizer=sgd");
        // 1 -> 1e8 -> 1: every input and output taken as one value wide.
        NetworkMemory.Estimate e = NetworkMemory.lowerBound(spec);
        assertEquals(100_000_000L + 100_000_000L + 100_000_000L + 1, e.parameters());
        assertEquals(0, e.updaterState());
        assertEquals(100_000_000L, e.activationsPerExample());

        JobSpec real = TestSpecs.spec("/x", "y", "model.hidden=[16, 8]");
        MultiLayerConfiguration conf =
                NetworkFactory.build(real, 1, OutputHead.choose(Task.REGRESSION, 0, real.model()));
        assertEquals(
                NetworkMemory.of(conf, NetworkFactory.inputType(real, 1), NetworkFactory.updater(real.train()))
                        .parameters(),
                NetworkMemory.lowerBound(real).parameters());
    }

    @Test
    void hugeWidthsSaturateInsteadOfOverflowing() {
        JobSpec spec = TestSpecs.spec("/x", "y", "model.hidden=[2000000000, 2000000000, 2000000000]");
        assertEquals(Long.MAX_VALUE, NetworkMemory.lowerBound(spec).workerBytes(128));
    }
}
