package io.trainyard.train.step;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One training step of a stack of dense layers and an output layer, computing what {@link MultiLayerNetwork#fit}
 * computes: the matrix products on OpenBLAS directly ({@link Gemm}), the bias, activations and loss gradient as plain
 * loops ({@link HiddenKernel}, {@link OutputGradient}), into buffers allocated once per batch size.
 *
 * <p>Why: profiling DL4J's {@code fit} on a 70-64-64-1 MLP at batch 256 showed most of a 2-3 ms step outside the
 * arithmetic (about 0.13 ms of gemm): a new array per intermediate, each allocation paying JavaCPP's bookkeeping,
 * workspaces, per-layer maps and listeners. Doing the same with one ND4J call per operation still left about 70% of
 * the step in those calls' fixed cost (element-wise ops, assigns, sums, row-vector adds): on a 64-unit layer an ND4J
 * call costs as much as the arithmetic it does.
 *
 * <p>What stays DL4J's, so the step equals {@code fit}: the parameters, gradients and updater state are the network's
 * own flat arrays, which the products and loops read and write in place (averaging, checkpoints and artifacts see no
 * difference); dropout masks come from the layer's own {@link Dropout} in the order DL4J draws them; the update
 * (division by the batch size, L2, the optimiser with its schedule) is the network's own updater; the score is the
 * loss object's. An activation or head without a loop here runs through the configuration's own objects. A network or
 * batch outside that (masks, noise, constraints, layer norm, other layers) is reported by {@link #unsupported} and
 * left to {@code fit}.
 */
public final class LeanDenseStep {
    private final MultiLayerNetwork net;
    private final int layers;
    private final int[] widths;
    private final NativeView[] weights;
    private final NativeView[] biases;
    private final IActivation[] activations;
    /** Each hidden layer's loop, or null where its activation runs through DL4J's object. */
    private final HiddenKernel[] kernels;

    private final IDropout[] dropouts;
    private final ILossFunction loss;
    /** The head's loop, or null where the loss object computes the gradient. */
    private final OutputGradient outputGradient;

    private final Gradient gradient;
    private final NativeView[] weightGrads;
    private final NativeView[] biasGrads;
    private final BaseMultiLayerUpdater<?> updater;
    /** The full batch's buffers and the last short batch's: an epoch's short last batch does not evict the rest. */
    private Buffers buffers;

    private Buffers shortBuffers;

    /**
     * Pre-activations, activations, deltas ({@code dL/dz}) and epsilons ({@code dL/d input}) for one batch size,
     * all row-major, reused step after step.
     */
    private record Buffers(int rows, NativeView[] z, NativeView[] a, NativeView[] delta, NativeView[] epsilon) {}

    /** For a network {@link #unsupported} has passed (as {@link MinibatchFitter} checks). */
    LeanDenseStep(MultiLayerNetwork net) {
        this.net = net;
        this.layers = net.getnLayers();
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        widths = new int[layers + 1];
        weights = new NativeView[layers];
        biases = new NativeView[layers];
        activations = new IActivation[layers];
        kernels = new HiddenKernel[layers];
        dropouts = new IDropout[layers];
        weightGrads = new NativeView[layers];
        biasGrads = new NativeView[layers];
        gradient = new DefaultGradient(net.getFlattenedGradients());
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
            Map<String, INDArray> views =
                    conf.initializer().getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
            INDArray weightGrad = views.get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray biasGrad = views.get(DefaultParamInitializer.BIAS_KEY);
            weightGrads[i] = NativeView.of(weightGrad);
            biasGrads[i] = NativeView.of(biasGrad);
            // The updater reads these keys only to split the gradient by layer; the values are views of the flat array.
            gradient.setGradientFor(i + "_" + DefaultParamInitializer.WEIGHT_KEY, weightGrad);
            gradient.setGradientFor(i + "_" + DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        loss = ((OutputLayer) net.getLayer(layers - 1).conf().getLayer()).getLossFn();
        outputGradient = OutputGradient.of(loss, activations[layers - 1]);
        updater = (BaseMultiLayerUpdater<?>) net.getUpdater();
    }

    /** A step for {@code net}, or a refusal naming the first thing it cannot do as {@code fit} does. */
    public static LeanDenseStep of(MultiLayerNetwork net) {
        String why = unsupported(net);
        if (why != null) {
            throw new IllegalArgumentException("the lean step cannot train this network: " + why);
        }
        return new LeanDenseStep(net);
    }

    /** Why the lean step cannot train {@code net} exactly as {@code fit} would, or null when it can. */
    public static String unsupported(MultiLayerNetwork net) {
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
            BaseLayer base = (BaseLayer) layer;
            if (base.getWeightNoise() != null) {
                return "weight noise on layer " + i;
            }
            if (base.getConstraints() != null && !base.getConstraints().isEmpty()) {
                return "constraints on layer " + i;
            }
            if (base.getGradientNormalization() != null
                    && base.getGradientNormalization() != GradientNormalization.None) {
                return "gradient normalization on layer " + i;
            }
            if (base.getIDropout() != null && base.getIDropout().getClass() != Dropout.class) {
                return base.getIDropout().getClass().getSimpleName() + " on layer " + i;
            }
            if (layer instanceof DenseLayer dense && (dense.hasLayerNorm() || !dense.hasBias())) {
                return "layer norm or no bias on layer " + i;
            }
            if (layer instanceof OutputLayer output && !output.hasBias()) {
                return "no bias on the output layer";
            }
        }
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            Map<String, INDArray> grads = ((BaseLayer) layer.conf().getLayer())
                    .initializer()
                    .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
            if (w.ordering() != 'f'
                    || !NativeView.isDense(w)
                    || grads.get(DefaultParamInitializer.WEIGHT_KEY).ordering() != 'f'
                    || !NativeView.isDense(grads.get(DefaultParamInitializer.WEIGHT_KEY))
                    || !NativeView.isDense(layer.getParam(DefaultParamInitializer.BIAS_KEY))
                    || !NativeView.isDense(grads.get(DefaultParamInitializer.BIAS_KEY))) {
                return "layer " + i + "'s parameters are not float arrays in DL4J's column-major layout";
            }
        }
        if (!(net.getUpdater() instanceof BaseMultiLayerUpdater)) {
            return "updater " + net.getUpdater().getClass().getSimpleName();
        }
        return null;
    }

    /** Whether a batch can take this step (DL4J's masks are not reimplemented). */
    public static boolean accepts(DataSet batch) {
        return batch.getFeaturesMaskArray() == null
                && batch.getLabelsMaskArray() == null
                && batch.getFeatures().rank() == 2
                && batch.getFeatures().dataType() == DataType.FLOAT;
    }

    /**
     * Fits one minibatch. With {@code score}, the network's score becomes the batch's loss before the update plus the
     * regularisation term, as {@code fit} sets it; without, the score is left as it was (it costs a second pass over
     * the output layer, and a round reads only its last batch's).
     */
    public void fit(DataSet batch, boolean score) {
        INDArray x = NativeView.rowMajor(batch.getFeatures());
        INDArray labels = NativeView.rowMajor(batch.getLabels());
        int rows = (int) x.size(0);
        Buffers b = buffers(rows);
        var conf = net.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

        NativeView[] inputs = new NativeView[layers];
        INDArray input = x;
        for (int i = 0; i < layers; i++) {
            if (dropouts[i] != null) {
                // DL4J drops the layer's input, into a copy (the features, or the previous layer's activations).
                INDArray dropped = input == x ? x.dup('c') : input;
                input = NativeView.rowMajor(dropouts[i].applyDropout(input, dropped, iteration, epoch, noWorkspaces));
            }
            inputs[i] = i > 0 && input == b.a()[i - 1].array() ? b.a()[i - 1] : NativeView.of(input);
            NativeView z = b.z()[i];
            Gemm.forward(inputs[i], weights[i], z, rows, widths[i], widths[i + 1]);
            if (i == layers - 1) {
                HiddenKernel.addBias(z.buffer(), biases[i].buffer(), rows, widths[i + 1]);
            } else if (kernels[i] != null) {
                kernels[i].forward(z.buffer(), biases[i].buffer(), b.a()[i].buffer(), rows, widths[i + 1]);
                input = b.a()[i].array();
            } else {
                HiddenKernel.addBias(z.buffer(), biases[i].buffer(), rows, widths[i + 1]);
                b.a()[i].array().assign(z.array());
                input = activations[i].getActivation(b.a()[i].array(), true);
            }
        }

        INDArray preOut = b.z()[layers - 1].array();
        double lossValue = Double.NaN;
        if (score) {
            lossValue = loss.computeScore(labels, preOut, activations[layers - 1], null, false) / rows
                    + net.calcRegularizationScore(true);
        }
        // delta holds dL/dz of layer i at the top of each pass, as DL4J's backpropGradient receives it.
        NativeView delta = b.delta()[layers - 1];
        if (outputGradient != null) {
            outputGradient.compute(
                    b.z()[layers - 1].buffer(), NativeView.of(labels).buffer(), delta.buffer(), rows, widths[layers]);
        } else {
            delta.array().assign(loss.computeGradient(labels, preOut, activations[layers - 1], null));
        }
        for (int i = layers - 1; ; i--) {
            HiddenKernel.columnSums(delta.buffer(), biasGrads[i].buffer(), rows, widths[i + 1]);
            Gemm.weightGradient(inputs[i], delta, weightGrads[i], rows, widths[i], widths[i + 1]);
            if (i == 0) {
                break;
            }
            NativeView epsilon = b.epsilon()[i];
            Gemm.inputGradient(delta, weights[i], epsilon, rows, widths[i], widths[i + 1]);
            if (dropouts[i] != null) {
                INDArray back = dropouts[i].backprop(epsilon.array(), epsilon.array(), iteration, epoch);
                if (back != epsilon.array()) {
                    epsilon.array().assign(back);
                }
            }
            NativeView previous = b.delta()[i - 1];
            if (kernels[i - 1] != null) {
                // Dropout on this layer's input scaled the previous activations in place: the derivative is then
                // taken from the pre-activations alone.
                kernels[i - 1].backward(
                        b.z()[i - 1].buffer(),
                        dropouts[i] == null ? b.a()[i - 1].buffer() : null,
                        epsilon.buffer(),
                        previous.buffer(),
                        rows * widths[i]);
            } else {
                INDArray back = activations[i - 1]
                        .backprop(b.z()[i - 1].array(), epsilon.array())
                        .getFirst();
                previous.array().assign(back);
            }
            delta = previous;
        }
        updater.update(gradient, iteration, epoch, rows, noWorkspaces);
        net.params().subi(net.getFlattenedGradients());
        conf.setIterationCount(iteration + 1);
        if (score) {
            net.setScore(lossValue);
        }
    }

    private Buffers buffers(int rows) {
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
        NativeView[] delta = new NativeView[layers];
        NativeView[] epsilon = new NativeView[layers];
        for (int i = 0; i < layers; i++) {
            z[i] = NativeView.of(Nd4j.createUninitialized(DataType.FLOAT, rows, widths[i + 1]));
            a[i] = NativeView.of(Nd4j.createUninitialized(DataType.FLOAT, rows, widths[i + 1]));
            delta[i] = NativeView.of(Nd4j.createUninitialized(DataType.FLOAT, rows, widths[i + 1]));
            epsilon[i] = NativeView.of(Nd4j.createUninitialized(DataType.FLOAT, rows, widths[i]));
        }
        return new Buffers(rows, z, a, delta, epsilon);
    }
}
