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
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One training step of a stack of dense layers and an output layer, computing what {@link MultiLayerNetwork#fit}
 * computes with a few ND4J calls per layer into buffers allocated once per batch size.
 *
 * <p>Why: profiling DL4J's {@code fit} on a 70-64-64-1 MLP at batch 256 showed most of a 2-3 ms step outside the
 * arithmetic (about 0.13 ms of gemm): a new array per intermediate, each allocation paying JavaCPP's bookkeeping
 * (a quarter of the samples read {@code /proc} for the process size), workspaces, per-layer maps and listeners.
 *
 * <p>What stays DL4J's, so the step equals {@code fit}: the parameters, gradients and updater state are the network's
 * own flat arrays (averaging, checkpoints and artifacts see no difference); the loss, its gradient and every
 * activation are the configuration's own objects; dropout masks come from the layer's own {@link Dropout} in the
 * order DL4J draws them; the update (division by the batch size, L2, the optimiser with its schedule) is the
 * network's own updater. Only the forward and backward passes are reimplemented, with DL4J's operations in DL4J's
 * order. A network or batch outside that (masks, noise, constraints, layer norm, other layers) is reported by
 * {@link #unsupported} and left to {@code fit}.
 */
public final class LeanDenseStep {
    private final MultiLayerNetwork net;
    private final int layers;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final IActivation[] activations;
    private final boolean[] plainRelu;
    private final IDropout[] dropouts;
    private final ILossFunction loss;
    private final Gradient gradient;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final BaseMultiLayerUpdater<?> updater;
    /** The full batch's buffers and the last short batch's: an epoch's short last batch does not evict the rest. */
    private Buffers buffers;

    private Buffers shortBuffers;

    /** Activations, pre-activations, deltas and epsilons for one batch size, reused step after step. */
    private record Buffers(int rows, INDArray[] z, INDArray[] a, INDArray[] delta, INDArray[] epsilon) {}

    /** For a network {@link #unsupported} has passed (as {@link MinibatchFitter} checks). */
    LeanDenseStep(MultiLayerNetwork net) {
        this.net = net;
        this.layers = net.getnLayers();
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        activations = new IActivation[layers];
        plainRelu = new boolean[layers];
        dropouts = new IDropout[layers];
        weightGrads = new INDArray[layers];
        biasGrads = new INDArray[layers];
        gradient = new DefaultGradient(net.getFlattenedGradients());
        for (int i = 0; i < layers; i++) {
            Layer layer = net.getLayer(i);
            BaseLayer conf = (BaseLayer) layer.conf().getLayer();
            weights[i] = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            biases[i] = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            activations[i] = conf.getActivationFn();
            plainRelu[i] = isPlainRelu(activations[i]);
            dropouts[i] = conf.getIDropout();
            Map<String, INDArray> views =
                    conf.initializer().getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
            weightGrads[i] = views.get(DefaultParamInitializer.WEIGHT_KEY);
            biasGrads[i] = views.get(DefaultParamInitializer.BIAS_KEY);
            // The updater reads these keys only to split the gradient by layer; the values are views of the flat array.
            gradient.setGradientFor(i + "_" + DefaultParamInitializer.WEIGHT_KEY, weightGrads[i]);
            gradient.setGradientFor(i + "_" + DefaultParamInitializer.BIAS_KEY, biasGrads[i]);
        }
        loss = ((OutputLayer) net.getLayer(layers - 1).conf().getLayer()).getLossFn();
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
        INDArray x = batch.getFeatures();
        INDArray labels = batch.getLabels();
        int rows = (int) x.size(0);
        Buffers b = buffers(rows);
        var conf = net.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

        INDArray[] inputs = new INDArray[layers];
        INDArray input = x;
        for (int i = 0; i < layers; i++) {
            if (dropouts[i] != null) {
                // DL4J drops the layer's input, into a copy (the features, or the previous layer's activations).
                INDArray dropped = input == x ? x.dup() : input;
                input = dropouts[i].applyDropout(input, dropped, iteration, epoch, noWorkspaces);
            }
            inputs[i] = input;
            input.mmuli(weights[i], b.z()[i]);
            b.z()[i].addiRowVector(biases[i]);
            if (i < layers - 1) {
                b.a()[i].assign(b.z()[i]);
                input = activations[i].getActivation(b.a()[i], true);
            }
        }

        INDArray preOut = b.z()[layers - 1];
        double lossValue = Double.NaN;
        if (score) {
            lossValue = loss.computeScore(labels, preOut, activations[layers - 1], null, false) / rows
                    + net.calcRegularizationScore(true);
        }
        // delta holds dL/dz of layer i at the top of each pass, as DL4J's backpropGradient receives it.
        INDArray delta = loss.computeGradient(labels, preOut, activations[layers - 1], null);
        for (int i = layers - 1; ; i--) {
            delta.sum(biasGrads[i], 0);
            Nd4j.gemm(inputs[i], delta, weightGrads[i], true, false, 1.0, 0.0);
            if (i == 0) {
                break;
            }
            INDArray epsilon =
                    weights[i].mmuli(delta.transpose(), b.epsilon()[i]).transpose();
            if (dropouts[i] != null) {
                epsilon = dropouts[i].backprop(epsilon, epsilon, iteration, epoch);
            }
            delta = plainRelu[i - 1]
                    ? Nd4j.exec(new RectifiedLinearDerivative(b.z()[i - 1], epsilon, b.delta()[i - 1], 0.0))[0]
                    : activations[i - 1].backprop(b.z()[i - 1], epsilon).getFirst();
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
        INDArray[] z = new INDArray[layers];
        INDArray[] a = new INDArray[layers];
        INDArray[] delta = new INDArray[layers];
        INDArray[] epsilon = new INDArray[layers];
        for (int i = 0; i < layers; i++) {
            long in = weights[i].size(0);
            long out = weights[i].size(1);
            // z in 'f' order: gemm writes there directly (DL4J's go through a temporary and a copy). The
            // activations stay 'c' like DL4J's: dropout draws its mask in memory order.
            z[i] = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, out}, 'f');
            a[i] = Nd4j.createUninitialized(DataType.FLOAT, rows, out);
            delta[i] = Nd4j.createUninitialized(DataType.FLOAT, rows, out);
            epsilon[i] = Nd4j.createUninitialized(DataType.FLOAT, new long[] {in, rows}, 'f');
        }
        return new Buffers(rows, z, a, delta, epsilon);
    }

    private static boolean isPlainRelu(IActivation activation) {
        return activation instanceof ActivationReLU relu
                && relu.getMax() == null
                && relu.getThreshold() == null
                && relu.getNegativeSlope() == null;
    }
}
