package io.trainyard.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.ModelInput;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import io.trainyard.model.FlatToSequence;
import io.trainyard.model.GruLayer;
import io.trainyard.run.UserInputException;
import io.trainyard.spec.data.NormalizeMethod;
import io.trainyard.spec.data.Task;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Exported graphs scored by ONNX Runtime equal DL4J's output on the inputs Trainyard's own scoring would build: raw
 * values imputed (NaN = missing) and normalised with the model's statistics, one-hot slots as they are.
 */
class OnnxExportTest {
    private static final int SCALARS = 3;
    private static final List<String> COLOURS = List.of("red", "blue");

    /** Three scalar inputs (the second imputed) and a categorical of two kept values plus the rare slot. */
    private static FeaturePlan plan(Task task, List<String> classes, TargetScale target, int targets) {
        List<ModelInput> inputs = List.of(
                new ModelInput("age", "age", false, null, null, null, null, 0, 1),
                new ModelInput("income", "income", false, null, 52_000.0, null, null, 1, 1),
                new ModelInput("tenure", "tenure", false, null, null, null, null, 2, 1),
                new ModelInput("colour", "colour", true, null, null, COLOURS, null, SCALARS, COLOURS.size() + 1));
        return new FeaturePlan(
                task, "y", null, List.of(), List.of(), inputs, classes, SCALARS + 3, targets, null, target, null, null);
    }

    private static final NormalizerStats STATS = new NormalizerStats(
            NormalizeMethod.STANDARD,
            List.of("age", "income", "tenure"),
            List.of(41.5, 52_000.0, 6.25),
            List.of(12.0, 18_000.0, 4.5));

    private static MultiLayerNetwork network(Activation hidden, Activation head, LossFunction loss, int outputs) {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(6)
                        .nOut(8)
                        .activation(hidden)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(8)
                        .nOut(5)
                        .activation(hidden)
                        .dropOut(0.8)
                        .build())
                .layer(new OutputLayer.Builder(loss)
                        .nIn(5)
                        .nOut(outputs)
                        .activation(head)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Raw rows: scalars around their means (some income missing), one colour slot set per row. */
    private static float[][] rawRows(int n) {
        Random rng = new Random(3);
        float[][] rows = new float[n][6];
        for (int r = 0; r < n; r++) {
            rows[r][0] = (float) (41.5 + 12 * rng.nextGaussian());
            rows[r][1] = r % 4 == 0 ? Float.NaN : (float) (52_000 + 18_000 * rng.nextGaussian());
            rows[r][2] = (float) (6.25 + 4.5 * rng.nextGaussian());
            rows[r][SCALARS + rng.nextInt(3)] = 1f;
        }
        return rows;
    }

    /** What Trainyard's scoring feeds the network: imputed, normalised in double, then float. */
    private static INDArray encoded(float[][] raw) {
        float[][] x = new float[raw.length][];
        for (int r = 0; r < raw.length; r++) {
            x[r] = raw[r].clone();
            double income = Float.isNaN(raw[r][1]) ? 52_000.0 : raw[r][1];
            x[r][0] = (float) STATS.apply(0, raw[r][0]);
            x[r][1] = (float) STATS.apply(1, income);
            x[r][2] = (float) STATS.apply(2, raw[r][2]);
        }
        return Nd4j.createFromArray(x);
    }

    private static float[][] onnx(byte[] model, float[][] raw, String output) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, raw);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            return (float[][]) result.get(output).orElseThrow().getValue();
        }
    }

    private static void assertClose(INDArray expected, float[][] actual) {
        assertEquals(expected.rows(), actual.length);
        double worst = 0;
        for (int r = 0; r < actual.length; r++) {
            for (int c = 0; c < actual[r].length; c++) {
                worst = Math.max(worst, Math.abs(expected.getDouble(r, c) - actual[r][c]));
            }
        }
        assertTrue(worst <= 1e-5, "ONNX Runtime differs from DL4J by " + worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RELU", "TANH", "SIGMOID", "LEAKYRELU"})
    void aSoftmaxClassifierScoresAsDl4j(String hidden) throws Exception {
        MultiLayerNetwork net = network(Activation.valueOf(hidden), Activation.SOFTMAX, LossFunction.MCXENT, 3);
        FeaturePlan plan = plan(Task.CLASSIFICATION, List.of("a", "b", "c"), null, 1);
        float[][] raw = rawRows(64);
        float[][] probabilities = onnx(OnnxExport.of(net, plan, STATS), raw, OnnxExport.PROBABILITIES);
        assertClose(net.output(encoded(raw)), probabilities);
    }

    @Test
    void aSigmoidBinaryClassifierScoresAsDl4j() throws Exception {
        MultiLayerNetwork net = network(Activation.RELU, Activation.SIGMOID, LossFunction.XENT, 1);
        FeaturePlan plan = plan(Task.CLASSIFICATION, List.of("no", "yes"), null, 1);
        float[][] raw = rawRows(64);
        assertClose(net.output(encoded(raw)), onnx(OnnxExport.of(net, plan, STATS), raw, OnnxExport.PROBABILITIES));
    }

    @Test
    void aRegressionPredictsInTheLabelsUnits() throws Exception {
        MultiLayerNetwork net = network(Activation.RELU, Activation.IDENTITY, LossFunction.MSE, 2);
        TargetScale target = TargetScale.of(350.0, 40.0);
        FeaturePlan plan = plan(Task.REGRESSION, List.of(), target, 2);
        float[][] raw = rawRows(64);
        INDArray scaled = net.output(encoded(raw)).castTo(DataType.DOUBLE);
        INDArray units = scaled.mul(target.scale()).add(target.center());
        float[][] predictions = onnx(OnnxExport.of(net, plan, STATS), raw, OnnxExport.PREDICTION);
        assertTrue(Math.abs(predictions[0][0] - 350) < 400, "in the label's units: " + predictions[0][0]);
        double worst = 0;
        for (int r = 0; r < predictions.length; r++) {
            for (int c = 0; c < 2; c++) {
                worst = Math.max(worst, Math.abs(units.getDouble(r, c) - predictions[r][c]) / target.scale());
            }
        }
        assertTrue(worst <= 1e-5, "ONNX Runtime differs from DL4J by " + worst + " (in scaled units)");
    }

    @Test
    void anAutoencodersGraphGivesReconstructionScoreFlagAndCode() throws Exception {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(11)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(6)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.TANH)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(2)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .build())
                .layer(new OutputLayer.Builder(LossFunction.MSE)
                        .nIn(4)
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        FeaturePlan plan = plan(Task.CLASSIFICATION, List.of("false", "true"), null, 1);
        float[][] raw = rawRows(64);
        INDArray x = encoded(raw);
        INDArray reconstruction = net.output(x);
        INDArray diff = reconstruction.sub(x);
        double[] scores = diff.mul(diff).mean(1).toDoubleVector();
        double threshold = scores[7];
        INDArray code = net.feedForwardToLayer(1, x).get(2);

        byte[] model = OnnxExport.autoencoder(net, plan, STATS, new OnnxExport.Anomaly(1, false, threshold));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, raw);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            assertClose(reconstruction, (float[][])
                    result.get(OnnxExport.RECONSTRUCTION).orElseThrow().getValue());
            assertClose(
                    code, (float[][]) result.get(OnnxExport.CODE).orElseThrow().getValue());
            float[][] score = (float[][])
                    result.get(OnnxExport.ANOMALY_SCORE).orElseThrow().getValue();
            boolean[][] flagged =
                    (boolean[][]) result.get(OnnxExport.ANOMALY).orElseThrow().getValue();
            int above = 0;
            for (int r = 0; r < raw.length; r++) {
                assertEquals(scores[r], score[r][0], 1e-5 * Math.max(1, scores[r]), "row " + r);
                if (Math.abs(scores[r] - threshold) > 1e-5) {
                    assertEquals(scores[r] > threshold, flagged[r][0], "row " + r);
                }
                above += flagged[r][0] ? 1 : 0;
            }
            assertTrue(above > 0 && above < raw.length, above + " flagged");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Same", "Truncate"})
    void aCnnScoresAsDl4j(String mode) throws Exception {
        int channels = 2;
        int side = 8;
        int pixels = channels * side * side;
        ConvolutionMode convolution = ConvolutionMode.valueOf(mode);
        var conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .updater(new org.nd4j.linalg.learning.config.Adam(0.01))
                .convolutionMode(convolution)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(2, 2)
                        .nOut(3)
                        .activation(Activation.TANH)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG)
                        .kernelSize(2, 2)
                        .stride(1, 1)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DropoutLayer.Builder(0.7).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(side, side, channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random rng = new Random(9);
        List<ModelInput> inputs = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        List<Double> center = new java.util.ArrayList<>();
        List<Double> scale = new java.util.ArrayList<>();
        for (int p = 0; p < pixels; p++) {
            inputs.add(new ModelInput("p" + p, "p" + p, false, null, null, null, null, p, 1));
            names.add("p" + p);
            center.add(100 + 20 * rng.nextDouble());
            scale.add(30 + 10 * rng.nextDouble());
        }
        NormalizerStats stats = new NormalizerStats(NormalizeMethod.STANDARD, names, center, scale);
        FeaturePlan plan = new FeaturePlan(
                Task.CLASSIFICATION,
                "y",
                null,
                List.of(),
                List.of(),
                inputs,
                List.of("a", "b", "c"),
                pixels,
                1,
                null,
                null,
                null,
                null);
        float[][] raw = new float[32][pixels];
        float[][] normalised = new float[32][pixels];
        for (int r = 0; r < raw.length; r++) {
            for (int p = 0; p < pixels; p++) {
                raw[r][p] = (float) (center.get(p) + scale.get(p) * rng.nextGaussian());
                normalised[r][p] = (float) stats.apply(p, raw[r][p]);
            }
        }
        INDArray x = Nd4j.createFromArray(normalised);
        // A few steps move batch normalisation's running mean and variance away from their initial 0 and 1.
        INDArray labels = Nd4j.zeros(DataType.FLOAT, raw.length, 3);
        for (int r = 0; r < raw.length; r++) {
            labels.putScalar(r, r % 3, 1f);
        }
        for (int step = 0; step < 5; step++) {
            net.fit(new org.nd4j.linalg.dataset.DataSet(x, labels));
        }
        assertClose(net.output(x), onnx(OnnxExport.of(net, plan, stats), raw, OnnxExport.PROBABILITIES));
    }

    @Test
    void theInputSlotsAreNamed() {
        FeaturePlan plan = plan(Task.CLASSIFICATION, List.of("a", "b"), null, 1);
        assertEquals(
                List.of("age", "income", "tenure", "colour=red", "colour=blue", "colour=<other>"),
                OnnxExport.inputSlots(plan, STATS));
    }

    /** Windows of two inputs over five steps: slot {@code input * 5 + step}, as {@code FlatToSequence} reads them. */
    private static final int STEPS = 5;

    private static FeaturePlan windowPlan() {
        List<ModelInput> inputs = new java.util.ArrayList<>();
        for (int slot = 0; slot < 2 * STEPS; slot++) {
            String name = (slot < STEPS ? "load" : "temp") + "[t-" + (STEPS - 1 - slot % STEPS) + "]";
            inputs.add(new ModelInput(name, name, false, null, null, null, null, slot, 1));
        }
        return new FeaturePlan(
                Task.REGRESSION,
                "load",
                null,
                List.of(),
                List.of(),
                inputs,
                List.of(),
                2 * STEPS,
                2,
                null,
                null,
                null,
                null);
    }

    private static final NormalizerStats WINDOW_STATS = new NormalizerStats(
            NormalizeMethod.STANDARD,
            windowPlan().inputs().stream().map(ModelInput::name).toList(),
            java.util.Collections.nCopies(2 * STEPS, 500.0),
            java.util.Collections.nCopies(2 * STEPS, 80.0));

    /**
     * Two recurrent layers (the second's last step, or each unit's max or mean over the steps, to the head) and a
     * two-step forecast, every parameter random.
     */
    private static MultiLayerNetwork recurrent(boolean gru, String readout) {
        var first = gru
                ? new GruLayer.Builder().nIn(2).nOut(6).build()
                : new LSTM.Builder().nIn(2).nOut(6).activation(Activation.TANH).build();
        var second = gru
                ? new GruLayer.Builder().nIn(6).nOut(4).build()
                : new LSTM.Builder().nIn(6).nOut(4).activation(Activation.TANH).build();
        var layers = new NeuralNetConfiguration.Builder().seed(5).list().layer(first);
        if (readout.equals("last")) {
            layers.layer(new LastTimeStep(second));
        } else {
            layers.layer(second)
                    .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                                    readout.equals("max")
                                            ? org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                                            : org.deeplearning4j.nn.conf.layers.PoolingType.AVG)
                            .build());
        }
        var conf = layers.layer(new OutputLayer.Builder(LossFunction.MSE)
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .dropOut(0.9)
                        .build())
                .inputPreProcessor(0, new FlatToSequence(2, STEPS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParams(Nd4j.rand(DataType.FLOAT, 1, net.numParams()).subi(0.5));
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm last", "gru last", "lstm max", "gru mean"})
    void aRecurrentForecasterScoresWindowsAsDl4j(String network) throws Exception {
        String[] kind = network.split(" ");
        MultiLayerNetwork net = recurrent(kind[0].equals("gru"), kind[1]);
        Random rng = new Random(9);
        float[][] raw = new float[64][2 * STEPS];
        float[][] normalised = new float[64][2 * STEPS];
        for (int r = 0; r < raw.length; r++) {
            for (int c = 0; c < 2 * STEPS; c++) {
                raw[r][c] = (float) (500 + 80 * rng.nextGaussian());
                normalised[r][c] = (float) WINDOW_STATS.apply(c, raw[r][c]);
            }
        }
        float[][] predictions = onnx(OnnxExport.of(net, windowPlan(), WINDOW_STATS), raw, OnnxExport.PREDICTION);
        assertClose(net.output(Nd4j.createFromArray(normalised)), predictions);
    }

    @Test
    void anLstmWithAnotherCellActivationIsRefused() {
        var conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LastTimeStep(new LSTM.Builder()
                        .nIn(2)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build()))
                .layer(new OutputLayer.Builder(LossFunction.MSE)
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .inputPreProcessor(0, new FlatToSequence(2, STEPS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        UserInputException e =
                assertThrows(UserInputException.class, () -> OnnxExport.of(net, windowPlan(), WINDOW_STATS));
        assertTrue(e.getMessage().startsWith("ONNX export: layer 0's cell activation is relu"), e.getMessage());
    }

    @Test
    void aNetworkThatDoesNotExportIsRefusedNamingTheLayer() {
        var conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new EmbeddingLayer.Builder().nIn(6).nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE)
                        .nIn(4)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        FeaturePlan plan = plan(Task.REGRESSION, List.of(), null, 1);
        UserInputException e = assertThrows(UserInputException.class, () -> OnnxExport.of(net, plan, STATS));
        assertEquals(
                "ONNX export: layer 0 is EmbeddingLayer (dense, convolution, pooling, batch normalisation, LSTM, GRU, "
                        + "dropout and output layers export)",
                e.getMessage());
    }
}
