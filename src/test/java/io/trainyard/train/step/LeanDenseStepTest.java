package io.trainyard.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The lean step against DL4J's {@code fit}: the same network, the same minibatches and the same random state, many
 * steps; every combination the lean step accepts for the seed's layers ends with parameters within 1e-5 of DL4J's,
 * and the same updater state and score.
 */
class LeanDenseStepTest {
    private static final int STEPS = 300;

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (Activation hidden : List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH)) {
            for (String optimizer : List.of("sgd", "momentum", "adam")) {
                out.add(Arguments.of(hidden, optimizer, "binary", 0.0, 0.0));
            }
        }
        out.add(Arguments.of(Activation.RELU, "adam", "softmax", 0.0, 0.0));
        out.add(Arguments.of(Activation.RELU, "adam", "mse", 0.0, 0.0));
        out.add(Arguments.of(Activation.TANH, "momentum", "mae", 0.0, 0.0));
        out.add(Arguments.of(Activation.RELU, "adam", "binary", 1e-3, 0.0));
        out.add(Arguments.of(Activation.RELU, "adam", "softmax", 1e-3, 0.2));
        out.add(Arguments.of(Activation.SIGMOID, "sgd", "binary", 0.0, 0.5));
        // The heads Trainyard builds beyond DL4J's enum: class-weighted softmax, MAE averaged over outputs.
        out.add(Arguments.of(Activation.RELU, "adam", "weighted", 0.0, 0.0));
        out.add(Arguments.of(Activation.TANH, "adam", "mean-absolute", 0.0, 0.0));
        // Dropout scales the activations in place: tanh's derivative must come from the pre-activations.
        out.add(Arguments.of(Activation.TANH, "adam", "mse", 0.0, 0.3));
        // Without a loop of their own: an activation and a head run through DL4J's objects.
        out.add(Arguments.of(Activation.ELU, "adam", "softmax", 0.0, 0.0));
        out.add(Arguments.of(Activation.IDENTITY, "sgd", "squared-log", 0.0, 0.0));
        return out.stream();
    }

    private static IUpdater updater(String optimizer) {
        return switch (optimizer) {
            case "sgd" -> new Sgd(0.05);
            case "momentum" -> new Nesterovs(0.02, 0.9);
            default -> new Adam(1e-3);
        };
    }

    static MultiLayerNetwork network(Activation hidden, String optimizer, String head, double l2, double dropout) {
        int outputs = head.equals("softmax") || head.equals("weighted") ? 3 : 1;
        var list = new NeuralNetConfiguration.Builder()
                .seed(11)
                .weightInit(WeightInit.XAVIER)
                .updater(updater(optimizer))
                .l2(l2)
                .list();
        for (int width : new int[] {16, 12}) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(width).activation(hidden);
            if (dropout > 0) {
                dense.dropOut(1 - dropout);
            }
            list.layer(dense.build());
        }
        OutputLayer.Builder output = switch (head) {
            case "softmax" -> new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX);
            case "mse" -> new OutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY);
            case "weighted" ->
                new OutputLayer.Builder(new LossMCXENT(Nd4j.create(new float[] {0.5f, 1f, 3f}, 1, 3)))
                        .activation(Activation.SOFTMAX);
            case "mae" -> new OutputLayer.Builder(LossFunction.L1).activation(Activation.IDENTITY);
            case "mean-absolute" ->
                new OutputLayer.Builder(LossFunction.MEAN_ABSOLUTE_ERROR).activation(Activation.IDENTITY);
            case "squared-log" ->
                new OutputLayer.Builder(LossFunction.MEAN_SQUARED_LOGARITHMIC_ERROR).activation(Activation.SOFTPLUS);
            default -> new OutputLayer.Builder(LossFunction.XENT).activation(Activation.SIGMOID);
        };
        list.layer(output.nOut(outputs).build());
        MultiLayerConfiguration conf = list.setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(10))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static List<DataSet> batches(String head, int count) {
        Nd4j.getRandom().setSeed(5);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int rows = i % 5 == 4 ? 17 : 32; // a short batch now and then, as at the end of a split
            INDArray x = Nd4j.randn(DataType.FLOAT, rows, 10);
            INDArray y = switch (head) {
                case "softmax", "weighted" -> {
                    INDArray oneHot = Nd4j.zeros(DataType.FLOAT, rows, 3);
                    for (int r = 0; r < rows; r++) {
                        oneHot.putScalar(r, (r * 7 + i) % 3, 1f);
                    }
                    yield oneHot;
                }
                case "mse", "mae", "mean-absolute" ->
                    x.getColumn(0).mul(2).addi(x.getColumn(3)).reshape(rows, 1);
                case "squared-log" -> Transforms.abs(x.getColumn(0), true).reshape(rows, 1);
                default -> x.getColumn(1).gt(0).castTo(DataType.FLOAT).reshape(rows, 1);
            };
            out.add(new DataSet(x, y));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} hidden, {1}, {2} head, l2 {3}, dropout {4}")
    @MethodSource("combinations")
    void equalsDl4jFit(Activation hidden, String optimizer, String head, double l2, double dropout) {
        MultiLayerNetwork reference = network(hidden, optimizer, head, l2, dropout);
        MultiLayerNetwork lean = network(hidden, optimizer, head, l2, dropout);
        assertNull(LeanDenseStep.unsupported(lean));
        LeanDenseStep step = LeanDenseStep.of(lean);
        List<DataSet> data = batches(head, 20);
        INDArray start = reference.params().dup();
        for (int i = 0; i < STEPS; i++) {
            DataSet batch = data.get(i % data.size());
            Nd4j.getRandom().setSeed(1000 + i); // dropout masks: the same draws for both
            reference.fit(batch);
            Nd4j.getRandom().setSeed(1000 + i);
            step.fit(batch, i == STEPS - 1);
        }
        double params = reference.params().sub(lean.params()).amaxNumber().doubleValue();
        double moved = reference.params().sub(start).amaxNumber().doubleValue();
        assertTrue(params <= 1e-5, "parameters differ by " + params);
        assertTrue(moved > 1e-2, "training moved the parameters by only " + moved);
        INDArray referenceState = reference.getUpdater().getStateViewArray();
        if (referenceState != null) {
            double state = referenceState
                    .sub(lean.getUpdater().getStateViewArray())
                    .amaxNumber()
                    .doubleValue();
            assertTrue(state <= 1e-5, "updater state differs by " + state);
        }
        assertEquals(reference.getIterationCount(), lean.getIterationCount());
        assertEquals(reference.score(), lean.score(), 1e-5);
    }

    /**
     * A GAN's stack: the generator's layers (the last one identity) train with Adam, the discriminator's copy behind
     * them has DL4J's NoOp updater (which passes the raw gradient on: the copy drifts, and the GAN overwrites it
     * before each generator step); two updaters in one network, and the lean step must move both halves as
     * DL4J's {@code fit} does.
     */
    @Test
    void aGanStackWithAFrozenHalfEqualsDl4jFit() {
        MultiLayerNetwork reference = ganStack();
        MultiLayerNetwork lean = ganStack();
        LeanDenseStep step = LeanDenseStep.of(lean);
        List<DataSet> data = batches("binary", 10);
        INDArray generatorStart = lean.getLayer(0).params().dup();
        for (int i = 0; i < 100; i++) {
            DataSet batch = data.get(i % data.size());
            reference.fit(batch);
            step.fit(batch, true);
        }
        double params = reference.params().sub(lean.params()).amaxNumber().doubleValue();
        assertTrue(params <= 1e-5, "parameters differ by " + params);
        assertTrue(lean.getLayer(0).params().sub(generatorStart).amaxNumber().doubleValue() > 1e-3);
        assertEquals(reference.score(), lean.score(), 1e-5);
    }

    private static MultiLayerNetwork ganStack() {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder()
                        .nOut(16)
                        .activation(Activation.RELU)
                        .updater(new Adam(1e-3))
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .updater(new Adam(1e-3))
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.RELU)
                        .updater(new NoOp())
                        .build())
                .layer(new OutputLayer.Builder(LossFunction.XENT)
                        .activation(Activation.SIGMOID)
                        .nOut(1)
                        .updater(new NoOp())
                        .build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(10))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void onlyFloatMatricesWithoutMasksTakeTheStep() {
        DataSet batch = batches("binary", 1).get(0);
        assertTrue(LeanDenseStep.accepts(batch));
        assertTrue(!LeanDenseStep.accepts(
                new DataSet(batch.getFeatures(), batch.getLabels().castTo(DataType.DOUBLE))));
        assertTrue(!LeanDenseStep.accepts(new DataSet(batch.getFeatures().castTo(DataType.DOUBLE), batch.getLabels())));
        DataSet masked = batch.copy();
        masked.setLabelsMaskArray(Nd4j.ones(DataType.FLOAT, batch.numExamples(), 1));
        assertTrue(!LeanDenseStep.accepts(masked));
    }

    @Test
    void otherNetworksAreLeftToFitWithTheReason() {
        var conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DenseLayer.Builder().nOut(8).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunction.MSE)
                        .activation(Activation.IDENTITY)
                        .nOut(1)
                        .build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(4))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        String why = LeanDenseStep.unsupported(net);
        assertNotNull(why);
        assertTrue(why.contains("BatchNormalization"), why);
    }
}
