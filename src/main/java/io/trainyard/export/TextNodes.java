package io.trainyard.export;

import io.trainyard.data.features.TextPlan;
import io.trainyard.model.GruLayer;
import io.trainyard.spec.data.TextSpec;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Text as ONNX nodes, from the graph's {@link #TOKENS} input: the token ids of {@link TextPlan} ({@code [batch,
 * max-length]}, int64, 0 after a row's last token). A bag of words counts them with {@code ScatterElements} and keeps
 * the vocabulary's slots and unknown's; a sequence network looks them up in its embedding with {@code Gather} and
 * carries the padding's mask through the layers as DL4J does: recurrent layers get each row's length
 * ({@code sequence_lens}), convolutions are zeroed past it, and global max pooling never picks from it.
 */
final class TextNodes {
    /** The graph input of token ids. */
    static final String TOKENS = "tokens";

    private TextNodes() {}

    /** The network's first layers up to its first dense one: the value they give and the index of the next layer. */
    record Front(String x, int next) {}

    /** {@code [batch, vocabulary + 1]}: a row's bag of words as {@code TextEncoder} fills it. */
    static String bag(OnnxGraph graph, TextPlan text) {
        graph.requireOpset(OnnxGraph.SCATTER_ADD_OPSET);
        String shape = graph.node("Shape", null, new String[] {TOKENS});
        String batch = graph.node("Slice", null, new String[] {shape, graph.longs("from", 0), graph.longs("to", 1)});
        String countsShape = graph.node(
                "Concat",
                null,
                new String[] {batch, graph.longs("ids", text.ids())},
                OnnxGraph.intAttribute("axis", 0));
        // ConstantOfShape's default value is a float 0.
        String zeros = graph.node("ConstantOfShape", null, new String[] {countsShape});
        String ones = graph.node("Expand", null, new String[] {graph.constant("one", new float[] {1f}, 1), shape});
        String counts = graph.node(
                "ScatterElements",
                null,
                new String[] {zeros, TOKENS, ones},
                OnnxGraph.intAttribute("axis", 1),
                OnnxGraph.stringAttribute("reduction", "add"));
        long[] slots = new long[text.width()];
        for (int i = 0; i < slots.length - 1; i++) {
            slots[i] = TextPlan.FIRST_TOKEN + i;
        }
        slots[slots.length - 1] = TextPlan.UNKNOWN;
        String bag = graph.node(
                "Gather",
                null,
                new String[] {counts, graph.longs("bag_slots", slots)},
                OnnxGraph.intAttribute("axis", 1));
        if (text.spec().weighting() != TextSpec.Weighting.TFIDF) {
            return bag;
        }
        float[] idf = text.idfValues();
        bag = graph.node("Mul", null, new String[] {bag, graph.constant("idf", idf, idf.length)});
        String norm = graph.reduce("ReduceL2", null, bag, 1, true);
        // An empty row stays zero: 0 divided by the smallest normal float.
        String safe =
                graph.node("Max", null, new String[] {norm, graph.constant("tiny", new float[] {Float.MIN_NORMAL}, 1)});
        return graph.node("Div", null, new String[] {bag, safe});
    }

    /** An embedding, then recurrent layers or 1-D convolutions and global max pooling, over the token ids. */
    static Front sequence(OnnxGraph graph, MultiLayerNetwork network, long length) {
        Layer first = network.getLayer(0);
        if (!(first.conf().getLayer() instanceof EmbeddingSequenceLayer embedding)
                || embedding.hasBias()
                || !(embedding.getActivationFn() instanceof ActivationIdentity)) {
            throw OnnxExport.refused(
                    "a network over token ids exports from an embedding layer without bias or activation");
        }
        String mask = mask(graph, length);
        INDArray w = first.getParam(DefaultParamInitializer.WEIGHT_KEY);
        String vectors = graph.node(
                "Gather",
                null,
                new String[] {graph.constant("embedding", w, w.size(0), w.size(1)), TOKENS},
                OnnxGraph.intAttribute("axis", 0));
        vectors = graph.node("Mul", null, new String[] {
            vectors, graph.node("Unsqueeze", null, new String[] {mask, graph.longs("axis", 2)})
        });
        return recurrent(network.getLayer(1).conf().getLayer())
                ? recurrentLayers(graph, network, vectors, mask)
                : convolutions(graph, network, vectors, mask);
    }

    /** {@code [batch, max-length]} floats: 1 up to a row's last token, 0 after; the first step always 1. */
    private static String mask(OnnxGraph graph, long length) {
        String tokens = graph.node("Greater", null, new String[] {TOKENS, graph.longs("padding", TextPlan.PADDING)});
        String positive = graph.cast(tokens, Onnx.TensorProto.DataType.FLOAT_VALUE);
        float[] firstStep = new float[(int) length];
        firstStep[0] = 1f;
        return graph.node("Max", null, new String[] {positive, graph.constant("first_step", firstStep, 1, length)});
    }

    private static Front recurrentLayers(OnnxGraph graph, MultiLayerNetwork network, String vectors, String mask) {
        String x = graph.node("Transpose", null, new String[] {vectors}, OnnxGraph.intsAttribute("perm", 1, 0, 2));
        String steps = graph.node(
                "ReduceSum", null, new String[] {mask, graph.longs("axes", 1)}, OnnxGraph.intAttribute("keepdims", 0));
        String lengths = graph.cast(steps, Onnx.TensorProto.DataType.INT32_VALUE);
        int i = 1;
        while (i < network.getnLayers() && recurrent(network.getLayer(i).conf().getLayer())) {
            Layer layer = network.getLayer(i);
            var conf = layer.conf().getLayer();
            boolean lastStep = layer instanceof LastTimeStepLayer;
            x = conf instanceof LSTM lstm
                    ? RecurrentNodes.lstm(graph, x, layer, lstm, lastStep, i, lengths)
                    : RecurrentNodes.gru(graph, x, layer, (GruLayer) conf, lastStep, i, lengths);
            i++;
            if (lastStep) {
                return new Front(x, i);
            }
        }
        if (network.getLayer(i).conf().getLayer() instanceof GlobalPoolingLayer pooling) {
            // The mask as [steps, batch, 1], beside the layers' [steps, batch, units].
            String stepMask = graph.node("Unsqueeze", null, new String[] {
                graph.node("Transpose", null, new String[] {mask}, OnnxGraph.intsAttribute("perm", 1, 0)),
                graph.longs("axis", 2)
            });
            return new Front(ConvolutionNodes.globalPooling(graph, x, stepMask, pooling, 0, i), i + 1);
        }
        throw OnnxExport.refused("the recurrent layers over token ids end in neither their last step nor pooling");
    }

    private static Front convolutions(OnnxGraph graph, MultiLayerNetwork network, String vectors, String mask) {
        // [batch, steps, embedding] to DL4J's and ONNX's [batch, channels, steps].
        String x = graph.node("Transpose", null, new String[] {vectors}, OnnxGraph.intsAttribute("perm", 0, 2, 1));
        String stepMask = graph.node("Unsqueeze", null, new String[] {mask, graph.longs("axis", 1)});
        int i = 1;
        while (network.getLayer(i).conf().getLayer() instanceof Convolution1DLayer conv) {
            x = convolution(graph, x, network.getLayer(i), conv, i);
            x = graph.node("Mul", null, new String[] {x, stepMask});
            i++;
        }
        if (!(network.getLayer(i).conf().getLayer() instanceof GlobalPoolingLayer pooling)
                || pooling.getPoolingType() != PoolingType.MAX) {
            throw OnnxExport.refused("layer " + i + " over token ids is "
                    + network.getLayer(i).conf().getLayer().getClass().getSimpleName()
                    + " (1-D convolutions then global max pooling export)");
        }
        // [batch, channels, steps]: pooled over axis 2, the padding left out.
        return new Front(ConvolutionNodes.globalPooling(graph, x, stepMask, pooling, 2, i), i + 1);
    }

    /**
     * DL4J's 1-D convolution: its weights, kept as {@code [out, in, kernel, 1]}, are read by libnd4j's conv1d as the
     * same buffer reshaped to {@code [kernel, in, out]}, which ONNX wants as {@code [out, in, kernel]}; {@code Same}
     * padding at stride 1 puts the odd step at the end, as the ONNX pads given here do.
     */
    private static String convolution(OnnxGraph graph, String x, Layer layer, Convolution1DLayer conf, int i) {
        if (conf.getDilation()[0] != 1
                || conf.getStride()[0] != 1
                || conf.getConvolutionMode() != ConvolutionMode.Same) {
            // Anything else shortens the steps, and DL4J's mask with them.
            throw OnnxExport.refused(
                    "layer " + i + " over token ids exports as a convolution with padding = same and stride 1");
        }
        int kernel = conf.getKernelSize()[0];
        INDArray w = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        long out = w.size(0);
        long in = w.size(1);
        INDArray onnx = w.reshape(w.ordering(), kernel, in, out).permute(2, 1, 0);
        INDArray b = layer.getParam(ConvolutionParamInitializer.BIAS_KEY);
        long before = (kernel - 1) / 2;
        long after = kernel - 1 - before;
        String[] inputs = b == null
                ? new String[] {x, graph.constant("conv_w" + i, onnx, out, in, kernel)}
                : new String[] {
                    x, graph.constant("conv_w" + i, onnx, out, in, kernel), graph.constant("conv_b" + i, b, out)
                };
        String z = graph.node(
                "Conv",
                null,
                inputs,
                OnnxGraph.intsAttribute("kernel_shape", kernel),
                OnnxGraph.intsAttribute("pads", before, after));
        return OnnxExport.activation(graph, z, conf.getActivationFn(), i, null);
    }

    private static boolean recurrent(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof LSTM || conf instanceof GruLayer;
    }
}
