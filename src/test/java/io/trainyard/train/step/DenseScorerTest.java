package io.trainyard.train.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The one-pass scorer against DL4J's {@code output(x, false)} and {@code score(batch, false)} on trained networks:
 * every combination the lean step's equality test trains (dropout off at scoring, L2 in the score, the heads and
 * activations without a loop of their own), full and short batches.
 */
class DenseScorerTest {
    @ParameterizedTest(name = "{0} hidden, {1}, {2} head, l2 {3}, dropout {4}")
    @MethodSource("io.trainyard.train.step.LeanDenseStepTest#combinations")
    void equalsDl4jOutputAndScore(Activation hidden, String optimizer, String head, double l2, double dropout) {
        MultiLayerNetwork net = LeanDenseStepTest.network(hidden, optimizer, head, l2, dropout);
        List<DataSet> data = LeanDenseStepTest.batches(head, 10);
        for (int i = 0; i < 40; i++) {
            net.fit(data.get(i % data.size()));
        }
        DenseScorer scorer = DenseScorer.of(net);
        assertNotNull(scorer);
        for (DataSet batch : data.subList(0, 5)) { // a short batch of 17 rows among them
            DenseScorer.Scored scored = scorer.score(batch);
            float[] expected = net.output(batch.getFeatures(), false).data().asFloat();
            float[] actual = scored.output().dup('c').data().asFloat();
            assertArrayEquals(expected, actual, 1e-5f);
            assertEquals(net.score(batch, false), scored.loss(), 1e-5);
        }
    }

    @Test
    void aRecurrentNetworkHasNoScorer() {
        var conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE)
                        .activation(Activation.IDENTITY)
                        .nIn(4)
                        .nOut(1)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertNull(DenseScorer.of(net));
        // Without a one-pass scorer, a batch is scored by DL4J's output and score.
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 5), Nd4j.rand(DataType.FLOAT, 4, 1, 5));
        DenseScorer.Scored scored = DenseScorer.score(null, net, batch);
        assertArrayEquals(
                net.output(batch.getFeatures(), false).data().asFloat(),
                scored.output().data().asFloat(),
                0f);
        assertEquals(net.score(batch, false), scored.loss(), 0.0);
    }

    @Test
    void aMaskedBatchOfADenseNetworkIsScoredByDl4j() {
        MultiLayerNetwork net = LeanDenseStepTest.network(Activation.RELU, "adam", "softmax", 0.0, 0.0);
        DataSet batch = LeanDenseStepTest.batches("softmax", 1).get(0).copy();
        INDArray mask = Nd4j.ones(DataType.FLOAT, batch.numExamples(), 1);
        mask.putScalar(0, 0, 0f);
        batch.setLabelsMaskArray(mask);
        DenseScorer.Scored scored = DenseScorer.score(DenseScorer.of(net), net, batch);
        assertEquals(net.score(batch, false), scored.loss(), 0.0);
    }
}
