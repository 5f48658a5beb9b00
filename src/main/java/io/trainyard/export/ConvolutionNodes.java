package io.trainyard.export;

import java.util.Arrays;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A CNN's layers as ONNX nodes, in DL4J's NCHW layout: the flat pixel vector reshaped to images, convolutions (DL4J
 * keeps weights as [out, in, height, width], as ONNX does), max and average pooling, batch normalisation with its
 * running statistics, and the flattening before dense layers (row-major over channel, row, column in both).
 * DL4J's {@code Same} mode pads the extra row or column at the end: ONNX's {@code SAME_UPPER}.
 */
final class ConvolutionNodes {
    private ConvolutionNodes() {}

    /** The preprocessor before layer {@code i} as nodes; returns the new value's name. */
    static String preprocess(OnnxGraph graph, String x, InputPreProcessor pre, int layer) {
        if (pre == null) {
            return x;
        }
        if (pre instanceof FeedForwardToCnnPreProcessor images) {
            return graph.node("Reshape", null, new String[] {
                x,
                graph.longs("image_shape", -1, images.getNumChannels(), images.getInputHeight(), images.getInputWidth())
            });
        }
        if (pre instanceof CnnToFeedForwardPreProcessor flat && flat.getFormat() == CNN2DFormat.NCHW) {
            return graph.node("Flatten", null, new String[] {x}, OnnxGraph.intAttribute("axis", 1));
        }
        throw OnnxExport.refused("the input of layer " + layer + " goes through "
                + pre.getClass().getSimpleName());
    }

    static String convolution(OnnxGraph graph, String x, Layer layer, ConvolutionLayer conf, int i) {
        if (conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw OnnxExport.refused("layer " + i + " is not in NCHW layout");
        }
        INDArray w = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray b = conf.hasBias() ? layer.getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
        String weights = graph.constant("conv_w" + i, w, w.shape());
        String[] inputs = b == null
                ? new String[] {x, weights}
                : new String[] {x, weights, graph.constant("conv_b" + i, b, b.length())};
        return graph.node(
                "Conv",
                null,
                inputs,
                windowAttributes(
                                conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getConvolutionMode(), i)
                        .with(OnnxGraph.intsAttribute("dilations", longs(conf.getDilation())))
                        .all());
    }

    static String pooling(OnnxGraph graph, String x, SubsamplingLayer conf, int i) {
        if (conf.getDilation() != null && Arrays.stream(conf.getDilation()).anyMatch(d -> d != 1)) {
            throw OnnxExport.refused("layer " + i + " pools with dilation");
        }
        Attributes a = windowAttributes(
                conf.getKernelSize(), conf.getStride(), conf.getPadding(), conf.getConvolutionMode(), i);
        if (conf.getPoolingType() == PoolingType.MAX) {
            return graph.node("MaxPool", null, new String[] {x}, a.all());
        }
        if (conf.getPoolingType() == PoolingType.AVG) {
            return graph.node(
                    "AveragePool",
                    null,
                    new String[] {x},
                    a.with(OnnxGraph.intAttribute("count_include_pad", conf.isAvgPoolIncludePadInDivisor() ? 1 : 0))
                            .all());
        }
        throw OnnxExport.refused("layer " + i + " pools by " + conf.getPoolingType());
    }

    /** Inference-time batch normalisation with the layer's running mean and variance. */
    static String batchNorm(OnnxGraph graph, String x, Layer layer, BatchNormalization conf, int i) {
        if (conf.isLockGammaBeta()) {
            throw OnnxExport.refused("layer " + i + " is a batch normalisation with locked gamma and beta");
        }
        INDArray gamma = layer.getParam(BatchNormalizationParamInitializer.GAMMA);
        INDArray beta = layer.getParam(BatchNormalizationParamInitializer.BETA);
        INDArray mean = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray variance = conf.isUseLogStd()
                ? varianceOfLogStd(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), conf.getEps())
                : layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        long n = gamma.length();
        return graph.node(
                "BatchNormalization",
                null,
                new String[] {
                    x,
                    graph.constant("bn_gamma" + i, gamma, n),
                    graph.constant("bn_beta" + i, beta, n),
                    graph.constant("bn_mean" + i, mean, n),
                    graph.constant("bn_var" + i, variance, n)
                },
                OnnxGraph.floatAttribute("epsilon", (float) conf.getEps()));
    }

    /** DL4J keeps log10 of the standard deviation sqrt(var + eps); ONNX adds eps to the variance itself. */
    private static INDArray varianceOfLogStd(INDArray log10Std, double eps) {
        double[] variance = log10Std.toDoubleVector();
        for (int c = 0; c < variance.length; c++) {
            double std = Math.pow(10, variance[c]);
            variance[c] = std * std - eps;
        }
        return Nd4j.createFromArray(variance);
    }

    private static Attributes windowAttributes(int[] kernel, int[] stride, int[] padding, ConvolutionMode mode, int i) {
        Attributes a = new Attributes()
                .with(OnnxGraph.intsAttribute("kernel_shape", longs(kernel)))
                .with(OnnxGraph.intsAttribute("strides", longs(stride)));
        if (mode == ConvolutionMode.Same) {
            return a.with(OnnxGraph.stringAttribute("auto_pad", "SAME_UPPER"));
        }
        if (mode != ConvolutionMode.Truncate) {
            throw OnnxExport.refused("layer " + i + " uses convolution mode " + mode);
        }
        int[] p = padding == null ? new int[] {0, 0} : padding;
        return a.with(OnnxGraph.intsAttribute("pads", p[0], p[1], p[0], p[1]));
    }

    private static long[] longs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }

    /** A node's attributes, gathered. */
    private static final class Attributes {
        private final java.util.List<onnx.Onnx.AttributeProto> list = new java.util.ArrayList<>();

        Attributes with(onnx.Onnx.AttributeProto a) {
            list.add(a);
            return this;
        }

        onnx.Onnx.AttributeProto[] all() {
            return list.toArray(onnx.Onnx.AttributeProto[]::new);
        }
    }

    /**
     * DL4J's global pooling: each unit's max or mean over the steps along {@code axis} (dropped), or with {@code mask}
     * (1 on a row's real steps, 0 on its padding; broadcast against {@code x}) over the real steps only, as DL4J's
     * masked pooling does: a max never picks a padded step, a mean divides by the real steps.
     */
    static String globalPooling(OnnxGraph graph, String x, String mask, GlobalPoolingLayer pooling, long axis, int i) {
        PoolingType type = pooling.getPoolingType();
        if (type == PoolingType.MAX) {
            String kept = mask == null
                    ? x
                    : graph.node("Where", null, new String[] {
                        graph.cast(mask, Onnx.TensorProto.DataType.BOOL_VALUE),
                        x,
                        graph.constant("minus_infinity", new float[] {Float.NEGATIVE_INFINITY}, 1)
                    });
            return graph.reduce("ReduceMax", null, kept, axis, false);
        }
        if (type != PoolingType.AVG) {
            throw OnnxExport.refused("layer " + i + " pools by " + type + " (max and average export)");
        }
        if (mask == null) {
            return graph.reduce("ReduceMean", null, x, axis, false);
        }
        String sum = graph.node(
                "ReduceSum",
                null,
                new String[] {graph.node("Mul", null, new String[] {x, mask}), graph.longs("axes", axis)},
                OnnxGraph.intAttribute("keepdims", 0));
        String steps = graph.node(
                "ReduceSum",
                null,
                new String[] {mask, graph.longs("axes", axis)},
                OnnxGraph.intAttribute("keepdims", 0));
        return graph.node("Div", null, new String[] {sum, steps});
    }
}
