package io.trainyard.train.step;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A network of dense layers and an output layer seen as the lean step and the scorer compute it: each layer's
 * weights and bias as views of the network's own parameters ({@link NativeView}), its activation's loop where there
 * is one ({@link HiddenKernel}), and the forward pass ({@link Gemm} then one fused loop per layer) into row-major
 * buffers kept per batch size.
 */
final class DenseStack {
    final MultiLayerNetwork net;
    final int layers;
    /** {@code widths[i]} inputs and {@code widths[i + 1]} outputs of layer i. */
    final int[] widths;

    final NativeView[] weights;
    final NativeView[] biases;
    final IActivation[] activations;
    /** Each hidden layer's loop, or null where its activation runs through DL4J's object. */
    final HiddenKernel[] kernels;

    final IDropout[] dropouts;
    final ILossFunction loss;
    /** Whether the buffers hold deltas and epsilons too (a training step's); a scorer's need only the forward pass. */
    private final boolean backward;

    /** The full batch's buffers and the last short batch's: an epoch's short last batch does not evict the rest. */
    private Buffers buffers;

    private Buffers shortBuffers;

    /**
     * Pre-activations, activations, deltas ({@code dL/dz}) and epsilons ({@code dL/d input}) for one batch size,
     * all row-major, reused pass after pass; the last two are null for a stack built without the backward pass.
     */
    record Buffers(int rows, NativeView[] z, NativeView[] a, NativeView[] delta, NativeView[] epsilon) {}

    /** For a network {@link #unsupported} has passed; {@code backward}: buffers for a training step's backward pass. */
    DenseStack(MultiLayerNetwork net, boolean backward) {
        this.net = net;
        this.backward = backward;
        this.layers = net.getnLayers();
        widths = new int[layers + 1];
        weights = new NativeView[layers];
        biases = new NativeView[layers];
        activations = new IActivation[layers];
        kernels = new HiddenKernel[layers];
        dropouts = new IDropout[layers];
        for (int i = 0; i < layers; i++) {
            Layer layer = net.getLayer(i);
            BaseLayer conf = (BaseLayer) layer.conf().getLayer();
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            widths[i] = Math.toIntExact(w.size(0));
            widths[i + 1] = Math.toIntExact(w.size(1));
            weights[i] = NativeView.of(w);
            biases[i] = NativeView.of(layer.getParam(DefaultParamInitializer.BIAS_KEY));
            activations[i] = conf.getActivationFn();
            kernels[i] = HiddenKernel.of(activations[i]);
            dropouts[i] = conf.getIDropout();
        }
        loss = ((OutputLayer) net.getLayer(layers - 1).conf().getLayer()).getLossFn();
    }

    /**
     * Why {@code net} is not dense layers and an output layer with biases, parameters in DL4J's layout, computed as
     * this class computes them; null when it is.
     */
    static String unsupported(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (conf.getBackpropType() != BackpropType.Standard) {
            return "truncated backpropagation through time";
        }
        if (conf.getInputPreProcessors() != null
                && !conf.getInputPreProcessors().isEmpty()) {
            return "input preprocessors";
        }
        if (net.getnLayers() < 1) {
            return "no layers";
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            var layer = net.getLayer(i).conf().getLayer();
            boolean last = i == net.getnLayers() - 1;
            if (last ? layer.getClass() != OutputLayer.class : layer.getClass() != DenseLayer.class) {
                return "layer " + i + " is " + layer.getClass().getSimpleName() + " (only dense layers and an output"
                        + " layer)";
            }
            if (layer instanceof DenseLayer dense && (dense.hasLayerNorm() || !dense.hasBias())) {
                return "layer norm or no bias on layer " + i;
            }
            if (layer instanceof OutputLayer output && !output.hasBias()) {
                return "no bias on the output layer";
            }
            INDArray w = net.getLayer(i).getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = net.getLayer(i).getParam(DefaultParamInitializer.BIAS_KEY);
            if (w.ordering() != 'f' || !NativeView.isDense(w) || !NativeView.isDense(b)) {
                return "layer " + i + "'s parameters are not float arrays in DL4J's column-major layout";
            }
        }
        return null;
    }

    /**
     * The forward pass of {@code x} (row-major, dense) into {@code b}; the output layer's pre-activation ends in
     * {@code b.z()[layers - 1]}. Training applies each layer's dropout as DL4J does, and records each layer's input
     * in {@code inputs} for the backward pass; scoring passes null and no dropout is drawn.
     */
    void forward(INDArray x, Buffers b, NativeView[] inputs, int iteration, int epoch) {
        int rows = b.rows();
        boolean training = inputs != null;
        INDArray input = x;
        for (int i = 0; i < layers; i++) {
            if (training && dropouts[i] != null) {
                // DL4J drops the layer's input, into a copy (the features, or the previous layer's activations).
                INDArray dropped = input == x ? x.dup('c') : input;
                input = NativeView.rowMajor(
                        dropouts[i].applyDropout(input, dropped, iteration, epoch, LayerWorkspaceMgr.noWorkspaces()));
            }
            NativeView in = i > 0 && input == b.a()[i - 1].array() ? b.a()[i - 1] : NativeView.of(input);
            if (training) {
                inputs[i] = in;
            }
            NativeView z = b.z()[i];
            Gemm.forward(in, weights[i], z, rows, widths[i], widths[i + 1]);
            if (i == layers - 1) {
                HiddenKernel.addBias(z.buffer(), biases[i].buffer(), rows, widths[i + 1]);
            } else if (kernels[i] != null) {
                kernels[i].forward(z, biases[i].buffer(), b.a()[i], rows, widths[i + 1]);
                input = b.a()[i].array();
            } else {
                HiddenKernel.addBias(z.buffer(), biases[i].buffer(), rows, widths[i + 1]);
                b.a()[i].array().assign(z.array());
                input = activations[i].getActivation(b.a()[i].array(), training);
                if (input != b.a()[i].array()) {
                    b.a()[i].array().assign(input);
                    input = b.a()[i].array();
                }
            }
        }
    }

    /** The buffers for a batch of {@code rows}. */
    Buffers buffers(int rows) {
        if (buffers != null && buffers.rows() == rows) {
            return buffers;
        }
        if (shortBuffers != null && shortBuffers.rows() == rows) {
            return shortBuffers;
        }
        if (buffers != null && rows < buffers.rows()) {
            shortBuffers = allocate(rows);
            return shortBuffers;
        }
        buffers = allocate(rows);
        return buffers;
    }

    private Buffers allocate(int rows) {
        NativeView[] z = new NativeView[layers];
        NativeView[] a = new NativeView[layers];
        NativeView[] delta = backward ? new NativeView[layers] : null;
        NativeView[] epsilon = backward ? new NativeView[layers] : null;
        for (int i = 0; i < layers; i++) {
            z[i] = matrix(rows, widths[i + 1]);
            a[i] = matrix(rows, widths[i + 1]);
            if (backward) {
                delta[i] = matrix(rows, widths[i + 1]);
                epsilon[i] = matrix(rows, widths[i]);
            }
        }
        return new Buffers(rows, z, a, delta, epsilon);
    }

    private static NativeView matrix(int rows, int columns) {
        return NativeView.of(Nd4j.createUninitialized(DataType.FLOAT, rows, columns));
    }
}
