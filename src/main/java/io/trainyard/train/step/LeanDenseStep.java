package io.trainyard.train.step;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
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

/**
 * One training step of a stack of dense layers and an output layer, computing what {@link MultiLayerNetwork#fit}
 * computes: the matrix products on OpenBLAS directly ({@link Gemm}), the bias, activations and loss gradient as plain
 * loops ({@link HiddenKernel}, {@link HeadKernel}), into buffers allocated once per batch size.
 *
 * <p>Why: profiling DL4J's {@code fit} on a 70-64-64-1 MLP at batch 256 showed most of a 2-3 ms step outside the
 * arithmetic (about 0.13 ms of gemm): a new array per intermediate, each allocation paying JavaCPP's bookkeeping,
 * workspaces, per-layer maps and listeners. Doing the same with one ND4J call per operation still left about 70% of
 * the step in those calls' fixed cost (element-wise ops, assigns, sums, row-vector adds): on a 64-unit layer an ND4J
 * call costs as much as the arithmetic it does.
 *
 * <p>What stays DL4J's, so the step equals {@code fit}: the parameters, gradients and updater state are the network's
 * own flat arrays, which the products and loops read and write in place (averaging, checkpoints and artifacts see no
 * difference); dropout masks come from the layer's own {@link Dropout} in the order DL4J draws them; the update is
 * DL4J's formula with the configuration's schedule, as a loop for plain SGD, momentum and Adam blocks
 * ({@link LeanUpdater}) and the network's own updater otherwise (L2, other optimisers); the score is the loss
 * object's. An activation or head without a loop here runs through the configuration's own objects. A network or
 * batch outside that (masks, noise, constraints, layer norm, other layers) is reported by {@link #unsupported} and
 * left to {@code fit}.
 */
public final class LeanDenseStep {
    private final DenseStack stack;
    /** The head's loop, or null where the loss object computes the gradient. */
    private final HeadKernel head;

    private final Gradient gradient;
    private final NativeView[] weightGrads;
    private final NativeView[] biasGrads;
    private final BaseMultiLayerUpdater<?> updater;
    /** The update as loops, or null where DL4J's updater does it. */
    private final LeanUpdater leanUpdater;

    /**
     * For a network {@link #unsupported} has passed (as {@link MinibatchFitter} checks), which also gave it its
     * gradient array.
     */
    LeanDenseStep(MultiLayerNetwork net) {
        stack = new DenseStack(net, true);
        int layers = stack.layers;
        weightGrads = new NativeView[layers];
        biasGrads = new NativeView[layers];
        gradient = new DefaultGradient(net.getFlattenedGradients());
        for (int i = 0; i < layers; i++) {
            Map<String, INDArray> views = gradientViews(net.getLayer(i));
            INDArray weightGrad = views.get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray biasGrad = views.get(DefaultParamInitializer.BIAS_KEY);
            weightGrads[i] = NativeView.of(weightGrad);
            biasGrads[i] = NativeView.of(biasGrad);
            // The updater reads these keys only to split the gradient by layer; the values are views of the flat array.
            gradient.setGradientFor(i + "_" + DefaultParamInitializer.WEIGHT_KEY, weightGrad);
            gradient.setGradientFor(i + "_" + DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        head = HeadKernel.of(stack.loss, stack.activations[layers - 1]);
        updater = (BaseMultiLayerUpdater<?>) net.getUpdater();
        leanUpdater = LeanUpdater.of(net, updater);
    }

    private static Map<String, INDArray> gradientViews(Layer layer) {
        return ((BaseLayer) layer.conf().getLayer())
                .initializer()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
    }

    /** A step for {@code net}, or a refusal naming the first thing it cannot do as {@code fit} does. */
    public static LeanDenseStep of(MultiLayerNetwork net) {
        String why = unsupported(net);
        if (why != null) {
            throw new IllegalArgumentException("the lean step cannot train this network: " + why);
        }
        return new LeanDenseStep(net);
    }

    /**
     * Why the lean step cannot train {@code net} exactly as {@code fit} would, or null when it can. Allocates the
     * network's gradient array when it has none yet, as its first {@code fit} would.
     */
    public static String unsupported(MultiLayerNetwork net) {
        String why = DenseStack.unsupported(net);
        if (why != null) {
            return why;
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            BaseLayer base = (BaseLayer) net.getLayer(i).conf().getLayer();
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
        }
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        for (int i = 0; i < net.getnLayers(); i++) {
            Map<String, INDArray> grads = gradientViews(net.getLayer(i));
            INDArray w = grads.get(DefaultParamInitializer.WEIGHT_KEY);
            if (w.ordering() != 'f'
                    || !NativeView.isDense(w)
                    || !NativeView.isDense(grads.get(DefaultParamInitializer.BIAS_KEY))) {
                return "layer " + i + "'s gradients are not float arrays in DL4J's column-major layout";
            }
        }
        if (!(net.getUpdater() instanceof BaseMultiLayerUpdater)) {
            return "updater " + net.getUpdater().getClass().getSimpleName();
        }
        return null;
    }

    /** Whether a batch can take this step: float matrices without masks (DL4J's masks are not reimplemented). */
    public static boolean accepts(DataSet batch) {
        return batch.getFeaturesMaskArray() == null
                && batch.getLabelsMaskArray() == null
                && batch.getFeatures().rank() == 2
                && batch.getFeatures().dataType() == DataType.FLOAT
                && batch.getLabels().rank() == 2
                && batch.getLabels().dataType() == DataType.FLOAT;
    }

    /**
     * Fits one minibatch. With {@code score}, the network's score becomes the batch's loss before the update plus the
     * regularisation term, as {@code fit} sets it; without, the score is left as it was (it costs a second pass over
     * the output layer, and a round reads only its last batch's).
     */
    public void fit(DataSet batch, boolean score) {
        MultiLayerNetwork net = stack.net;
        int layers = stack.layers;
        int[] widths = stack.widths;
        INDArray x = NativeView.rowMajor(batch.getFeatures());
        INDArray labels = NativeView.rowMajor(batch.getLabels());
        int rows = (int) x.size(0);
        DenseStack.Buffers b = stack.buffers(rows);
        var conf = net.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();

        NativeView[] inputs = new NativeView[layers];
        stack.forward(x, b, inputs, iteration, epoch);

        INDArray preOut = b.z()[layers - 1].array();
        IActivation output = stack.activations[layers - 1];
        double lossValue = Double.NaN;
        if (score) {
            lossValue = stack.loss.computeScore(labels, preOut, output, null, false) / rows
                    + net.calcRegularizationScore(true);
        }
        // delta holds dL/dz of layer i at the top of each pass, as DL4J's backpropGradient receives it.
        NativeView delta = b.delta()[layers - 1];
        if (head != null) {
            head.gradient(
                    b.z()[layers - 1].buffer(), NativeView.of(labels).buffer(), delta.buffer(), rows, widths[layers]);
        } else {
            delta.array().assign(stack.loss.computeGradient(labels, preOut, output, null));
        }
        for (int i = layers - 1; ; i--) {
            HiddenKernel.columnSums(delta.buffer(), biasGrads[i].buffer(), rows, widths[i + 1]);
            Gemm.weightGradient(inputs[i], delta, weightGrads[i], rows, widths[i], widths[i + 1]);
            if (i == 0) {
                break;
            }
            NativeView epsilon = b.epsilon()[i];
            Gemm.inputGradient(delta, stack.weights[i], epsilon, rows, widths[i], widths[i + 1]);
            IDropout dropout = stack.dropouts[i];
            if (dropout != null) {
                INDArray back = dropout.backprop(epsilon.array(), epsilon.array(), iteration, epoch);
                if (back != epsilon.array()) {
                    epsilon.array().assign(back);
                }
            }
            NativeView previous = b.delta()[i - 1];
            HiddenKernel kernel = stack.kernels[i - 1];
            // Dropout on this layer's input scaled the previous activations in place: a derivative taken from the
            // activations then goes through DL4J's object, which takes it from the pre-activations.
            if (kernel != null && (dropout == null || !kernel.needsActivations())) {
                kernel.backward(
                        b.z()[i - 1].buffer(),
                        b.a()[i - 1].buffer(),
                        epsilon.buffer(),
                        previous.buffer(),
                        rows * widths[i]);
            } else {
                INDArray back = stack.activations[i - 1]
                        .backprop(b.z()[i - 1].array(), epsilon.array())
                        .getFirst();
                previous.array().assign(back);
            }
            delta = previous;
        }
        if (leanUpdater != null) {
            leanUpdater.update(iteration, epoch, rows);
        } else {
            updater.update(gradient, iteration, epoch, rows, LayerWorkspaceMgr.noWorkspaces());
            net.params().subi(net.getFlattenedGradients());
        }
        conf.setIterationCount(iteration + 1);
        if (score) {
            net.setScore(lossValue);
        }
    }
}
