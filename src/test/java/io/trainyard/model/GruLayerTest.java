package io.trainyard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The GRU layer against the GRU equations written out, finite differences, a save and load, and a fit. */
class GruLayerTest {
    private static final int FEATURES = 3;
    private static final int STEPS = 5;
    private static final int UNITS = 4;
    private static final int BATCH = 6;

    private static MultiLayerNetwork network(boolean lastStepOnly, DataType type, int outputs) {
        var layers = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(type)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(
                        lastStepOnly
                                ? new LastTimeStep(
                                        new GruLayer.Builder().nOut(UNITS).build())
                                : new GruLayer.Builder().nOut(UNITS).build());
        if (lastStepOnly) {
            layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nOut(outputs)
                    .activation(Activation.IDENTITY)
                    .build());
        }
        MultiLayerConfiguration conf = layers.inputPreProcessor(0, new FlatToSequence(FEATURES, STEPS))
                .setInputType(InputType.feedForward(FEATURES * STEPS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // Non-zero biases, so a bias in the wrong gate shows.
        net.getLayer(0)
                .getParam(GruParams.BIAS)
                .assign(Nd4j.rand(type, 1, 3 * UNITS).subi(0.5));
        return net;
    }

    private static INDArray input(DataType type, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[BATCH * FEATURES * STEPS];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() * 2 - 1;
        }
        return Nd4j.create(x, new long[] {BATCH, FEATURES * STEPS}, 'c').castTo(type);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void forwardPassEqualsTheGruEquations() {
        MultiLayerNetwork net = network(false, DataType.DOUBLE, 0);
        INDArray x = input(DataType.DOUBLE, 1);
        INDArray out = net.output(x);
        assertArrayEquals(new long[] {BATCH, UNITS, STEPS}, out.shape());

        double[][] w = net.getLayer(0).getParam(GruParams.INPUT_WEIGHTS).toDoubleMatrix();
        double[][] u = net.getLayer(0).getParam(GruParams.RECURRENT_WEIGHTS).toDoubleMatrix();
        double[] b = net.getLayer(0).getParam(GruParams.BIAS).toDoubleVector();
        double[][] flat = x.toDoubleMatrix();
        for (int ex = 0; ex < BATCH; ex++) {
            double[] h = new double[UNITS];
            for (int t = 0; t < STEPS; t++) {
                double[] xt = new double[FEATURES];
                for (int f = 0; f < FEATURES; f++) {
                    xt[f] = flat[ex][f * STEPS + t];
                }
                double[] z = new double[UNITS];
                double[] r = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    z[j] = sigmoid(dot(xt, w, j) + dot(h, u, j) + b[j]);
                    r[j] = sigmoid(dot(xt, w, UNITS + j) + dot(h, u, UNITS + j) + b[UNITS + j]);
                }
                double[] rh = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    rh[j] = r[j] * h[j];
                }
                double[] next = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    double n = Math.tanh(dot(xt, w, 2 * UNITS + j) + dot(rh, u, 2 * UNITS + j) + b[2 * UNITS + j]);
                    next[j] = (1 - z[j]) * n + z[j] * h[j];
                }
                h = next;
                for (int j = 0; j < UNITS; j++) {
                    assertEquals(h[j], out.getDouble(ex, j, t), 1e-12, "example " + ex + ", unit " + j + ", step " + t);
                }
            }
        }
    }

    /** v . column {@code col} of m. */
    private static double dot(double[] v, double[][] m, int col) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i] * m[i][col];
        }
        return s;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        DataType floats = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = network(true, DataType.DOUBLE, 2);
            INDArray x = input(DataType.DOUBLE, 2);
            INDArray y = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                    .net(net)
                    .input(x)
                    .labels(y)
                    .epsilon(1e-6)
                    .maxRelError(1e-5)
                    .minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
        } finally {
            Nd4j.setDefaultDataTypes(floats, floats);
        }
    }

    @Test
    void savedAndLoadedThroughNetworkFilesGivesTheSameOutputs() throws Exception {
        MultiLayerNetwork net = network(true, DataType.FLOAT, 2);
        INDArray x = input(DataType.FLOAT, 3);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, false);
        MultiLayerNetwork back = NetworkFiles.read(new ByteArrayInputStream(zip.toByteArray()), false, "gru.zip");
        assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
        assertEquals(net.output(x), back.output(x));
    }

    @Test
    void learnsAChangeAcrossTheSequence() {
        MultiLayerNetwork adam = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(0.02))
                .list()
                .layer(new LastTimeStep(new GruLayer.Builder().nOut(8).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .inputPreProcessor(0, new FlatToSequence(FEATURES, STEPS))
                .setInputType(InputType.feedForward(FEATURES * STEPS))
                .build());
        adam.init();
        INDArray x = input(DataType.FLOAT, 4);
        // Target: the first feature's last step minus its first step, which needs memory across the sequence.
        INDArray y = x.getColumn(STEPS - 1).sub(x.getColumn(0)).reshape(BATCH, 1);
        DataSet data = new DataSet(x, y);
        double before = adam.score(data);
        for (int i = 0; i < 300; i++) {
            adam.fit(data);
        }
        assertTrue(adam.score(data) < before * 0.2, "loss " + before + " -> " + adam.score(data));
    }
}
