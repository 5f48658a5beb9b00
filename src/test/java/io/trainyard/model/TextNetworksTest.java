package io.trainyard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.trainyard.data.MinibatchEncoder;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.spec.data.Task;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Networks over token ids: padding and its mask leave a row's score as the unpadded row's, before and after
 * training (which the mask must also keep from learning anything from padding).
 */
class TextNetworksTest {
    private static final int LENGTH = 20;
    private static final int IDS = 50;

    private static JobSpec spec(String... overrides) {
        return SpecLoader.fromConfig(
                ConfigFactory.parseString("name = t\ndata { path = /x, label = y, text.columns = [body] }\n"
                        + "model.hidden = [8, 6]\nmodel.embedding = 5\ntrain.learning-rate = 0.01\n"),
                List.of(overrides));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rnn gru last 0",
                "rnn lstm last 0.3",
                "rnn gru max 0.3",
                "rnn lstm mean 0",
                "cnn - - 0",
                "cnn - - 0.3"
            })
    void aRowPaddedAndMaskedScoresAsTheSameRowUnpadded(String network) {
        String[] kind = network.split(" ");
        String dropout = "model.dropout=" + kind[3];
        JobSpec spec = kind[0].equals("rnn")
                ? spec("model.type=rnn", "model.cell=" + kind[1], "model.readout=" + kind[2], dropout)
                : spec("model.type=cnn", "model.layers=[{type = conv, filters = 6, kernel = [1, 3]}]", dropout);
        MultiLayerNetwork net = new MultiLayerNetwork(
                NetworkFactory.build(spec, LENGTH, IDS, OutputHead.choose(Task.CLASSIFICATION, 3, spec.model())));
        net.init();
        Random random = new Random(7);
        int[] lengths = {1, 4, 11, LENGTH};
        INDArray padded = Nd4j.zeros(DataType.FLOAT, lengths.length, LENGTH);
        for (int r = 0; r < lengths.length; r++) {
            for (int k = 0; k < lengths[r]; k++) {
                padded.putScalar(r, k, 1 + random.nextInt(IDS - 1));
            }
        }
        INDArray mask = MinibatchEncoder.tokenMask(padded);
        assertEquals(4 + 11 + 1 + LENGTH, mask.sumNumber().intValue());
        assertMatchesUnpadded(net, padded, mask, lengths);

        // Training on padded batches keeps the invariance (the padding's gradients are masked too).
        INDArray labels = Nd4j.zeros(DataType.FLOAT, lengths.length, 3);
        for (int r = 0; r < lengths.length; r++) {
            labels.putScalar(r, r % 3, 1f);
        }
        INDArray before = net.params().dup();
        for (int i = 0; i < 5; i++) {
            net.fit(new DataSet(padded, labels, mask, null));
        }
        assertTrue(net.params().sub(before).norm2Number().doubleValue() > 0, "the network trained");
        assertMatchesUnpadded(net, padded, mask, lengths);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn gru", "rnn lstm", "cnn lstm"})
    void modelDropoutDropsTheEmbeddedTokensAndTheHeadsInputs(String network) {
        String[] kind = network.split(" ");
        for (double rate : new double[] {0, 0.4}) {
            JobSpec spec =
                    spec("model.type=" + kind[0], "model.dropout=" + rate, "model.hidden=[8]", "model.cell=" + kind[1]);
            MultiLayerConfiguration conf =
                    NetworkFactory.build(spec, LENGTH, IDS, OutputHead.choose(Task.CLASSIFICATION, 3, spec.model()));
            Layer afterEmbedding = conf.getConf(1).getLayer();
            if (afterEmbedding instanceof BaseWrapperLayer wrapper) {
                afterEmbedding = wrapper.getUnderlying(); // LastTimeStep around the cell
            }
            Layer head = conf.getConf(conf.getConfs().size() - 1).getLayer();
            for (Layer layer : List.of(afterEmbedding, head)) {
                if (rate == 0) {
                    assertNull(layer.getIDropout(), layer.getClass().getSimpleName());
                } else {
                    // DL4J's Dropout holds the probability of keeping an input.
                    assertEquals(1 - rate, ((Dropout) layer.getIDropout()).getP(), 1e-12);
                }
            }
        }
    }

    private static void assertMatchesUnpadded(MultiLayerNetwork net, INDArray padded, INDArray mask, int[] lengths) {
        INDArray batch = net.output(padded, false, mask, null);
        for (int r = 0; r < lengths.length; r++) {
            INDArray alone = padded.get(
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(r, r + 1),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, lengths[r]))
                    .dup();
            float[] unpadded = net.output(alone).data().asFloat();
            assertArrayEquals(unpadded, batch.getRow(r).dup().data().asFloat(), 1e-5f, "row of " + lengths[r]);
        }
    }
}
