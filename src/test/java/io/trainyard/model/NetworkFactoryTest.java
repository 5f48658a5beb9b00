package io.trainyard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import io.trainyard.spec.check.SpecException;
import io.trainyard.spec.data.Task;
import io.trainyard.spec.model.Loss;
import io.trainyard.spec.train.Optimizer;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Every activation, loss and optimiser the spec offers builds a network that trains (single machine, no Spark). */
class NetworkFactoryTest {
    private static final int ROWS = 256;
    private static final int INPUTS = 4;

    private static JobSpec spec(String... overrides) {
        return SpecLoader.fromConfig(
                ConfigFactory.parseString("name = t\ndata { path = /x, label = y }\n"
                        + "model.hidden = [16, 8]\ntrain.learning-rate = 0.01\n"),
                List.of(overrides));
    }

    @Test
    void autoWeightInitIsUniformForAnMlpAndXavierForTheOtherFamilies() {
        assertEquals(WeightInit.UNIFORM, NetworkFactory.weightInit(spec().model()));
        assertEquals(
                WeightInit.XAVIER,
                NetworkFactory.weightInit(spec("model.type=autoencoder").model()));
        assertEquals(
                WeightInit.XAVIER,
                NetworkFactory.weightInit(
                        spec("model.type=rnn", "data.shape=[1, 4]").model()));
        assertEquals(
                WeightInit.XAVIER,
                NetworkFactory.weightInit(spec("model.weight-init=xavier").model()));
        assertEquals(
                WeightInit.RELU,
                NetworkFactory.weightInit(spec("model.type=rnn", "data.shape=[1, 4]", "model.weight-init=relu")
                        .model()));
        // The rule reaches the layers: an MLP's first layer draws from U(-1/sqrt(fan-in), 1/sqrt(fan-in)).
        MultiLayerNetwork net = new MultiLayerNetwork(
                NetworkFactory.build(spec(), 400, OutputHead.choose(Task.REGRESSION, 0, spec().model())));
        net.init();
        double bound = net.getLayer(0).getParam("W").amaxNumber().doubleValue();
        assertTrue(bound <= 1 / Math.sqrt(400) && bound > 0.9 / Math.sqrt(400), "largest weight " + bound);
    }

    /** Rows with a learnable label: the sign of a linear score (classes) or the score itself (regression). */
    private static DataSet problem(Task task, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[ROWS * INPUTS];
        int width = task == Task.REGRESSION || classes == 2 ? 1 : classes;
        float[] y = new float[ROWS * width];
        for (int i = 0; i < ROWS; i++) {
            double score = 0;
            for (int j = 0; j < INPUTS; j++) {
                x[i * INPUTS + j] = (float) (r.nextDouble() * 2 - 1);
                score += (j + 1) * x[i * INPUTS + j];
            }
            if (task == Task.REGRESSION) {
                y[i] = (float) score;
            } else if (classes == 2) {
                y[i] = score > 0 ? 1 : 0;
            } else {
                y[i * width + (score < -1 ? 0 : score < 1 ? 1 : 2)] = 1;
            }
        }
        return new DataSet(
                Nd4j.create(x, new long[] {ROWS, INPUTS}, DataType.FLOAT),
                Nd4j.create(y, new long[] {ROWS, width}, DataType.FLOAT));
    }

    private static void assertTrains(JobSpec spec, Task task, int classes) {
        OutputHead head = OutputHead.choose(task, classes, spec.model());
        MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.mlp(spec.model(), spec.train(), INPUTS, head));
        net.init();
        DataSet data = problem(task, classes, 5);
        double before = net.score(data);
        for (int i = 0; i < 60; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(Double.isFinite(after) && after < before, "loss went from " + before + " to " + after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh", "leakyrelu", "elu", "selu", "gelu", "swish", "softplus", "mish"})
    void everyHiddenActivationTrains(String activation) {
        assertTrains(spec("model.activation=" + activation), Task.CLASSIFICATION, 2);
    }

    @ParameterizedTest
    @EnumSource(value = Optimizer.class)
    void everyOptimizerTrains(Optimizer optimizer) {
        double lr = optimizer == Optimizer.SGD ? 0.1 : 0.01;
        assertTrains(
                spec("train.optimizer=" + optimizer.name().toLowerCase(), "train.learning-rate=" + lr),
                Task.CLASSIFICATION,
                3);
    }

    @Test
    void everyLossTrains() {
        assertTrains(spec("model.loss=bce"), Task.CLASSIFICATION, 2);
        assertTrains(spec("model.loss=cce"), Task.CLASSIFICATION, 3);
        assertTrains(spec("model.loss=mse"), Task.REGRESSION, 1);
        assertTrains(spec("model.loss=mae"), Task.REGRESSION, 1);
    }

    @Test
    void dropoutAndL2Train() {
        assertTrains(spec("model.dropout=0.2", "model.l2=0.0001"), Task.CLASSIFICATION, 2);
    }

    @Test
    void headFollowsTheTask() {
        JobSpec auto = spec();
        assertEquals(
                new OutputHead(1, Activation.SIGMOID, Loss.BCE),
                OutputHead.choose(Task.CLASSIFICATION, 2, auto.model()));
        assertEquals(
                new OutputHead(3, Activation.SOFTMAX, Loss.CCE),
                OutputHead.choose(Task.CLASSIFICATION, 3, auto.model()));
        assertEquals(
                new OutputHead(1, Activation.IDENTITY, Loss.MSE), OutputHead.choose(Task.REGRESSION, 0, auto.model()));
        assertEquals(
                new OutputHead(2, Activation.SOFTMAX, Loss.CCE),
                OutputHead.choose(Task.CLASSIFICATION, 2, spec("model.loss=cce").model()));
    }

    @Test
    void refusesIncompatibleChoices() {
        assertEquals(
                "model.output-activation = softmax does not go with model.loss = mse; use cce (or leave model.loss = auto)",
                assertThrows(SpecException.class, () -> spec("model.output-activation=softmax", "model.loss=mse"))
                        .getMessage());
        assertEquals(
                "model.loss = mse needs task = regression; use bce or cce (or auto) for classification",
                assertThrows(
                                SpecException.class,
                                () -> OutputHead.choose(
                                        Task.CLASSIFICATION,
                                        2,
                                        spec("model.loss=mse").model()))
                        .getMessage());
        assertEquals(
                "model.loss = bce needs a binary label; this label has 3 classes (use cce or auto)",
                assertThrows(
                                SpecException.class,
                                () -> OutputHead.choose(
                                        Task.CLASSIFICATION,
                                        3,
                                        spec("model.loss=bce").model()))
                        .getMessage());
        assertEquals(
                "model.dropout must be in [0, 1), got 1.0",
                assertThrows(SpecException.class, () -> spec("model.dropout=1")).getMessage());
        assertEquals(
                "model.activation must be one of " + io.trainyard.spec.check.SpecEnums.allowed(Activation.class)
                        + "; got 'relu7'",
                assertThrows(SpecException.class, () -> spec("model.activation=relu7"))
                        .getMessage());
    }

    @Test
    void cnnInfersEveryLayerSizeFromTheShapeAndLearnsAPattern() {
        JobSpec spec = SpecLoader.fromConfig(
                ConfigFactory.parseString(
                        "name = t\ndata { path = /x, label = y, "
                                + "shape = [2, 6, 6] }\nmodel { type = cnn, layers = [{type = conv, filters = 3}, {type = batchnorm}, "
                                + "{type = pool}, {type = dropout, rate = 0.1}, {type = dense, units = 5}] }\ntrain.learning-rate = 0.01\n"),
                List.of());
        OutputHead head = OutputHead.choose(Task.CLASSIFICATION, 2, spec.model());
        MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.build(spec, 72, head));
        net.init();
        // conv 2->3 (3x3): 54 + 3; batchnorm on 3 channels: 4 x 3; dense 3*3*3 -> 5: 135 + 5; output 5 -> 1: 5 + 1.
        assertEquals(57 + 12 + 140 + 6, net.numParams());
        // Label: is channel 0 brighter than channel 1? Layout is channel-major, so it is the first half of each row.
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[ROWS * 72];
        float[] y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            double difference = 0;
            for (int j = 0; j < 72; j++) {
                x[i * 72 + j] = (float) r.nextDouble();
                difference += j < 36 ? x[i * 72 + j] : -x[i * 72 + j];
            }
            y[i] = difference > 0 ? 1 : 0;
        }
        DataSet data = new DataSet(
                Nd4j.create(x, new long[] {ROWS, 72}, DataType.FLOAT),
                Nd4j.create(y, new long[] {ROWS, 1}, DataType.FLOAT));
        double before = net.score(data);
        for (int i = 0; i < 60; i++) {
            net.fit(data);
        }
        assertTrue(net.score(data) < 0.7 * before, "loss went from " + before + " to " + net.score(data));
        assertEquals(
                "data.shape = [2, 6, 6] holds 72 inputs, but the features give 70 (categorical and timestamp "
                        + "features widen the input; list only the pixels)",
                assertThrows(SpecException.class, () -> NetworkFactory.build(spec, 70, head))
                        .getMessage());
    }

    @Test
    void trainingFlopsCountDenseAndConvolutionMultiplyAdds() {
        JobSpec mlp = spec();
        OutputHead head = OutputHead.choose(Task.CLASSIFICATION, 3, mlp.model());
        // 4*16 + 16*8 + 8*3 multiply-adds, 2 FLOPs each, 3 passes.
        assertEquals(
                6.0 * (64 + 128 + 24),
                NetworkSummary.trainingFlopsPerExample(
                        NetworkFactory.build(mlp, INPUTS, head), NetworkFactory.inputType(mlp, INPUTS)));
        JobSpec cnn = SpecLoader.fromConfig(
                ConfigFactory.parseString("name = t\ndata { path = /x, label = y, "
                        + "shape = [1, 8, 8] }\nmodel { type = cnn, layers = [{type = conv, filters = 4}, {type = pool}, "
                        + "{type = dense, units = 8}] }\n"),
                List.of());
        // conv: 8x8 outputs x 4 filters x 3x3x1 window; pool halves to 4x4x4; dense 64 -> 8; output 8 -> 3.
        assertEquals(
                6.0 * (64 * 4 * 9 + 64 * 8 + 8 * 3),
                NetworkSummary.trainingFlopsPerExample(
                        NetworkFactory.build(cnn, 64, head), NetworkFactory.inputType(cnn, 64)));
        // Batch normalisation and dropout do per-element work: they add no multiply-adds.
        JobSpec regularised = SpecLoader.fromConfig(
                ConfigFactory.parseString("name = t\ndata { path = /x, label = y, "
                        + "shape = [1, 8, 8] }\nmodel { type = cnn, layers = [{type = conv, filters = 4}, {type = batchnorm}, "
                        + "{type = pool}, {type = dropout, rate = 0.5}, {type = dense, units = 8}] }\n"),
                List.of());
        assertEquals(
                6.0 * (64 * 4 * 9 + 64 * 8 + 8 * 3),
                NetworkSummary.trainingFlopsPerExample(
                        NetworkFactory.build(regularised, 64, head), NetworkFactory.inputType(regularised, 64)));
    }
}
