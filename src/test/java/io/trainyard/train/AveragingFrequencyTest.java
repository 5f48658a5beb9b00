package io.trainyard.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.spec.check.SpecException;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** {@code train.averaging-frequency = auto}: its arithmetic, its bounds, and the spec that asks for it. */
class AveragingFrequencyTest {
    private static MultiLayerNetwork mlp(int inputs, int... hidden) {
        var list = new NeuralNetConfiguration.Builder().list();
        for (int h : hidden) {
            list.layer(new DenseLayer.Builder().nOut(h).build());
        }
        list.layer(new OutputLayer.Builder(LossFunction.XENT)
                .activation(Activation.SIGMOID)
                .nOut(1)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(
                list.setInputType(InputType.feedForward(inputs)).build());
        net.init();
        return net;
    }

    @Test
    void aRoundOfADenseNetworkIsAboutTwoTenthsOfASecondOfEstimatedSteps() {
        MultiLayerNetwork small = mlp(64, 64, 64);
        assertEquals(8385, small.numParams());
        // 0.5 ms + 6 x 8,385 x 256 FLOP at 20 GFLOP/s = 1.144 ms per step: 175 steps make 0.2 s.
        assertEquals(175, AveragingFrequency.of(small, 256, 1_000_000, 2));
        // A wider network's steps cost more, so fewer make a round.
        MultiLayerNetwork wide = mlp(18, 512, 256);
        int wideFrequency = AveragingFrequency.of(wide, 256, 1_000_000, 2);
        double step = 0.0005 + 6.0 * wide.numParams() * 256 / 20e9;
        assertEquals((int) Math.ceil(0.2 / step), wideFrequency);
        assertTrue(wideFrequency < 175 && wideFrequency >= 1);
    }

    @Test
    void neverMoreThanAWorkersShareAndConvolutionsKeepTen() {
        assertEquals(50, AveragingFrequency.of(mlp(64, 64, 64), 256, 100, 2));
        assertEquals(1, AveragingFrequency.of(mlp(64, 64, 64), 256, 1, 4));
        var conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nOut(3)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        MultiLayerNetwork cnn = new MultiLayerNetwork(conf);
        cnn.init();
        assertEquals(10, AveragingFrequency.of(cnn, 64, 1_000, 2));
    }

    @Test
    void theSpecSaysAutoOrANumberAndAGanNeedsANumber() {
        JobSpec auto = SpecLoader.fromConfig(
                com.typesafe.config.ConfigFactory.parseString("name = t, data.path = x, data.label = y"),
                List.of("train.averaging-frequency=auto", "train.batch-size=256"));
        assertTrue(auto.train().autoAveraging());
        assertEquals(
                175,
                AveragingFrequency.resolve(auto.train(), mlp(64, 64, 64), 1_000_000, 2)
                        .averagingFrequency());
        JobSpec fixed = SpecLoader.fromConfig(
                com.typesafe.config.ConfigFactory.parseString("name = t, data.path = x, data.label = y"), List.of());
        assertEquals(
                10,
                AveragingFrequency.resolve(fixed.train(), mlp(64, 64, 64), 1_000_000, 2)
                        .averagingFrequency());
        SpecException gan = assertThrows(
                SpecException.class,
                () -> SpecLoader.fromConfig(
                        com.typesafe.config.ConfigFactory.parseString("name = t, data.path = x"),
                        List.of("model.type=gan", "train.averaging-frequency=auto")));
        assertTrue(gan.getMessage().contains("give a GAN a number"), gan.getMessage());
        SpecException word = assertThrows(
                SpecException.class,
                () -> SpecLoader.fromConfig(
                        com.typesafe.config.ConfigFactory.parseString("name = t, data.path = x, data.label = y"),
                        List.of("train.averaging-frequency=often")));
        assertTrue(word.getMessage().contains("train.averaging-frequency"), word.getMessage());
    }
}
