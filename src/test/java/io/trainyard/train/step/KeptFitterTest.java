package io.trainyard.train.step;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.train.StepKind;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A fitter kept with a worker network across averaging rounds: between rounds the network's parameters and updater
 * state are overwritten in place (as a round loads the averaged state), and the kept lean step, its views and its
 * buffers (full and short batches) built once, still trains exactly as DL4J's {@code fit} does.
 */
class KeptFitterTest {
    @Test
    void aKeptFitterTrainsAsFitAcrossRoundsThatOverwriteTheState() {
        MultiLayerNetwork reference = LeanDenseStepTest.network(Activation.RELU, "adam", "sigmoid", 1e-4, 0.0);
        MultiLayerNetwork worker = LeanDenseStepTest.network(Activation.RELU, "adam", "sigmoid", 1e-4, 0.0);
        List<DataSet> data = LeanDenseStepTest.batches("sigmoid", 20);
        MinibatchFitter first = MinibatchFitter.kept(worker, StepKind.LEAN);
        int step = 0;
        for (int round = 0; round < 8; round++) {
            assertSame(first, MinibatchFitter.kept(worker, StepKind.LEAN), "kept across rounds");
            for (int i = 0; i < 5; i++, step++) {
                DataSet batch = data.get(step % data.size());
                reference.fit(batch);
                MinibatchFitter.kept(worker, StepKind.LEAN).fit(batch, i == 4);
            }
            // What averaging does between rounds: a new state assigned into the network's own arrays.
            INDArray params = reference.params().mul(0.97);
            INDArray state = reference.getUpdater().getStateViewArray().mul(0.5);
            reference.params().assign(params);
            reference.getUpdater().getStateViewArray().assign(state);
            worker.params().assign(params);
            worker.getUpdater().getStateViewArray().assign(state);
        }
        reference.fit(data.get(0));
        MinibatchFitter.kept(worker, StepKind.LEAN).fit(data.get(0), true);
        double differ = reference.params().sub(worker.params()).amaxNumber().doubleValue();
        assertTrue(differ <= 1e-5, "parameters differ by " + differ);

        MinibatchFitter.release(worker);
        assertNotSame(first, MinibatchFitter.kept(worker, StepKind.LEAN), "released, then built afresh");
        assertNotSame(
                MinibatchFitter.kept(worker, StepKind.LEAN),
                MinibatchFitter.kept(worker, StepKind.DL4J),
                "another step kind is another fitter");
        MinibatchFitter.release(worker);
    }
}
