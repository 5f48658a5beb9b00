package io.trainyard.export;

import io.trainyard.data.features.FeaturePlan;
import io.trainyard.data.features.NormalizerStats;
import io.trainyard.data.features.TargetScale;
import io.trainyard.data.features.TextPlan;
import io.trainyard.model.FlatToSequence;
import io.trainyard.model.GruLayer;
import io.trainyard.run.UserInputException;
import io.trainyard.run.Version;
import io.trainyard.spec.data.Task;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a trained network as an ONNX graph: input {@code features} (the raw input vector, see {@link InputVector}),
 * the model's imputation and normalisation as Where/Sub/Div nodes, then the layers (dense ones as Gemm and an
 * activation; convolutional ones through {@link ConvolutionNodes}; dropout an identity at inference), and output
 * {@code probabilities} (classification: the softmax over the classes, or a sigmoid's probability of the positive
 * class) or {@code prediction} (regression, back in the label's units); an autoencoder's outputs are described at
 * {@link #autoencoder}, a GAN generator's at {@link #generator}. Anything else is refused with one line naming the
 * layer or activation.
 */
public final class OnnxExport {
    public static final String INPUT = "features";
    public static final String PROBABILITIES = "probabilities";
    public static final String PREDICTION = "prediction";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String ANOMALY_SCORE = "anomaly_score";
    public static final String ANOMALY = "anomaly";
    public static final String CODE = "code";
    public static final String NOISE = "noise";
    public static final String GENERATED = "generated";

    private OnnxExport() {}

    /** The {@code model.onnx} bytes of {@code network} trained on {@code plan}'s inputs. */
    public static byte[] of(MultiLayerNetwork network, FeaturePlan plan, NormalizerStats normalizer) {
        if (plan.text() != null) {
            return text(network, plan, normalizer);
        }
        InputVector vector = vector(network, plan, normalizer);
        OnnxGraph graph = new OnnxGraph("trainyard");
        String output = plan.task() == Task.REGRESSION ? PREDICTION : PROBABILITIES;
        TargetScale target = plan.target();
        graph.input(INPUT, vector.width());
        String level = plan.windows() != null && plan.windows().levelFree() ? level(graph, plan) : null;
        String spread = level != null && plan.windows().spreadFree() ? spread(graph, plan) : null;
        String x = INPUT;
        if (level != null) {
            String mask = graph.constant("level_mask", levelMask(plan), vector.width());
            x = graph.node("Sub", null, new String[] {x, graph.node("Mul", null, new String[] {level, mask})});
            if (spread != null) {
                // Divided by the spread on the forecast column's slots, by 1 elsewhere: 1 + mask * (spread - 1).
                String one = graph.constant("one", new float[] {1f}, 1);
                String minusOne = graph.node("Sub", null, new String[] {spread, one});
                String divisor = graph.node("Add", null, new String[] {
                    one, graph.node("Mul", null, new String[] {mask, minusOne})
                });
                x = graph.node("Div", null, new String[] {x, divisor});
            }
        }
        String y = layers(
                graph, network, normalised(graph, vector, x), target == null && level == null ? output : null, -1);
        long width = width(network, network.getnLayers() - 1);
        if (target != null) {
            y = unscale(graph, y, target, level == null ? output : null);
        }
        if (spread != null) {
            y = graph.node("Mul", null, new String[] {y, spread});
        }
        if (level != null) {
            graph.node("Add", output, new String[] {y, level});
        }
        graph.output(output, width);
        return graph.model(Version.of(), "input '" + INPUT + "': " + String.join(", ", vector.names()));
    }

    /**
     * A network over text: input {@link TextNodes#TOKENS}, the token ids ({@code inputs.json} gives the rule and the
     * vocabulary), beside input {@link #INPUT} when a bag of words shares the vector with other features; outputs as
     * {@link #of}'s.
     */
    private static byte[] text(MultiLayerNetwork network, FeaturePlan plan, NormalizerStats normalizer) {
        TextPlan text = plan.text();
        OnnxGraph graph = new OnnxGraph("trainyard-text");
        graph.longInput(TextNodes.TOKENS, text.spec().maxLength());
        String x;
        int from = 0;
        if (text.layout() == TextPlan.Layout.BAG) {
            String bag = TextNodes.bag(graph, text);
            x = text.offset() == 0
                    ? bag
                    : graph.node(
                            "Concat",
                            null,
                            new String[] {normalised(graph, vector(network, plan, normalizer)), bag},
                            OnnxGraph.intAttribute("axis", 1));
        } else {
            TextNodes.Front front =
                    TextNodes.sequence(graph, network, text.spec().maxLength());
            x = front.x();
            from = front.next();
        }
        String output = plan.task() == Task.REGRESSION ? PREDICTION : PROBABILITIES;
        TargetScale target = plan.target();
        String y = layers(graph, network, x, target == null ? output : null, -1, true, from);
        if (target != null) {
            unscale(graph, y, target, output);
        }
        graph.output(output, width(network, network.getnLayers() - 1));
        return graph.model(
                Version.of(),
                "input '" + TextNodes.TOKENS + "': token ids of " + text.spec().columns());
    }

    /**
     * An autoencoder's graph: outputs {@code reconstruction} (of the normalised input vector, as the network learned
     * it), {@code anomaly_score} (the mean squared or absolute error of that reconstruction, Trainyard's score),
     * {@code anomaly} (the score above the model's threshold) and {@code code} (the code layer's activations).
     */
    public static byte[] autoencoder(
            MultiLayerNetwork network, FeaturePlan plan, NormalizerStats normalizer, Anomaly anomaly) {
        InputVector vector = vector(network, plan, normalizer);
        OnnxGraph graph = new OnnxGraph("trainyard-autoencoder");
        String x = normalised(graph, vector);
        String reconstruction = layers(graph, network, x, RECONSTRUCTION, anomaly.codeLayer());
        String diff = graph.node("Sub", null, new String[] {reconstruction, x});
        String error = anomaly.absolute()
                ? graph.node("Abs", null, new String[] {diff})
                : graph.node("Mul", null, new String[] {diff, diff});
        String score = graph.reduce("ReduceMean", ANOMALY_SCORE, error, 1, true);
        graph.node("Greater", ANOMALY, new String[] {
            score, graph.constant("threshold", new float[] {(float) anomaly.threshold()}, 1)
        });
        graph.output(RECONSTRUCTION, vector.width());
        graph.output(ANOMALY_SCORE, 1);
        graph.booleanOutput(ANOMALY, 1);
        graph.output(CODE, width(network, anomaly.codeLayer()));
        return graph.model(Version.of(), "input '" + INPUT + "': " + String.join(", ", vector.names()));
    }

    /**
     * A GAN generator's graph: input {@code noise} (standard normal draws, as wide as the generator's first layer),
     * output {@code generated}, a row of the input vector in its own units (the normalisation undone: times the scale,
     * plus the center, slot by slot).
     */
    public static byte[] generator(MultiLayerNetwork network, FeaturePlan plan, NormalizerStats normalizer) {
        InputVector vector = InputVector.of(plan, normalizer);
        int last = network.getnLayers() - 1;
        long width = width(network, last);
        if (width != vector.width()) {
            throw refused("the generator writes " + width + " values, the feature vector has " + vector.width());
        }
        OnnxGraph graph = new OnnxGraph("trainyard-generator");
        long noise = network.layerInputSize(0);
        graph.input(NOISE, noise);
        String y = layers(graph, network, NOISE, null, -1, false);
        y = graph.node("Mul", null, new String[] {y, graph.constant("scale", vector.scale(), vector.width())});
        graph.node("Add", GENERATED, new String[] {y, graph.constant("center", vector.center(), vector.width())});
        graph.output(GENERATED, width);
        return graph.model(Version.of(), "output '" + GENERATED + "': " + String.join(", ", vector.names()));
    }

    /** A generator's input slots: {@code noise_0} to {@code noise_<n-1>}. */
    public static java.util.List<String> noiseSlots(MultiLayerNetwork generator) {
        return java.util.stream.IntStream.range(0, (int) generator.layerInputSize(0))
                .mapToObj(i -> NOISE + "_" + i)
                .toList();
    }

    /**
     * What an autoencoder's graph needs beyond the network.
     *
     * @param codeLayer which layer's activations are the code
     * @param absolute  whether the score is the mean absolute error (else squared)
     * @param threshold scores above it are anomalies
     */
    public record Anomaly(int codeLayer, boolean absolute, double threshold) {}

    private static InputVector vector(MultiLayerNetwork network, FeaturePlan plan, NormalizerStats normalizer) {
        InputVector vector = InputVector.of(plan, normalizer);
        INDArray w = network.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY);
        if (network.getLayer(0).conf().getLayer() instanceof DenseLayer
                && w != null
                && w.size(0) != plan.inputWidth()) {
            throw refused("the network takes " + w.size(0) + " inputs, the feature vector has " + plan.inputWidth());
        }
        return vector;
    }

    /**
     * A level-free forecast's level, {@code [rows, 1]}: the forecast column's last value in the window, which the
     * column's window is taken relative to and every forecast adds back ({@link FeaturePlan.WindowPlan#levelFree()}).
     */
    private static String level(OnnxGraph graph, FeaturePlan plan) {
        int window = plan.windows().sequence().window();
        long last = (long) plan.windows().target() * window + window - 1;
        return graph.node(
                "Gather",
                null,
                new String[] {INPUT, graph.longs("level_slot", last)},
                OnnxGraph.intAttribute("axis", 1));
    }

    /**
     * A spread-free forecast's spread, {@code [rows, 1]}: the mean absolute change between the forecast column's steps
     * in the window, its mean absolute value when it does not change, 1 when that is 0 too (as
     * {@code SequenceWindows.spread} computes it for training and scoring).
     */
    private static String spread(OnnxGraph graph, FeaturePlan plan) {
        int window = plan.windows().sequence().window();
        long first = (long) plan.windows().target() * window;
        String change = meanAbsolute(graph, graph.node("Sub", null, new String[] {
            slots(graph, first + 1, first + window), slots(graph, first, first + window - 1)
        }));
        String size = meanAbsolute(graph, slots(graph, first, first + window));
        String zero = graph.constant("zero", new float[] {0f}, 1);
        String one = graph.constant("one", new float[] {1f}, 1);
        String sizeOrOne = graph.node("Where", null, new String[] {
            graph.node("Greater", null, new String[] {size, zero}), size, one
        });
        return graph.node("Where", null, new String[] {
            graph.node("Greater", null, new String[] {change, zero}), change, sizeOrOne
        });
    }

    /** The input's slots {@code [from, to)}. */
    private static String slots(OnnxGraph graph, long from, long to) {
        return graph.node("Slice", null, new String[] {
            INPUT, graph.longs("from", from), graph.longs("to", to), graph.longs("axis", 1)
        });
    }

    /** Each row's mean absolute value, {@code [rows, 1]}. */
    private static String meanAbsolute(OnnxGraph graph, String x) {
        return graph.reduce("ReduceMean", null, graph.node("Abs", null, new String[] {x}), 1, true);
    }

    /** 1 on the forecast column's window slots, 0 elsewhere: where the level is subtracted. */
    private static float[] levelMask(FeaturePlan plan) {
        int window = plan.windows().sequence().window();
        float[] mask = new float[plan.inputWidth()];
        java.util.Arrays.fill(
                mask, plan.windows().target() * window, (plan.windows().target() + 1) * window, 1f);
        return mask;
    }

    /** The graph's input, imputed and normalised as Trainyard's scoring does; returns the normalised value's name. */
    private static String normalised(OnnxGraph graph, InputVector vector) {
        graph.input(INPUT, vector.width());
        return normalised(graph, vector, INPUT);
    }

    /** As {@link #normalised(OnnxGraph, InputVector)}, from {@code x} computed from the declared input. */
    private static String normalised(OnnxGraph graph, InputVector vector, String x) {
        if (vector.imputes()) {
            String missing = graph.node("IsNaN", null, new String[] {x});
            String impute = graph.constant("impute", vector.impute(), vector.width());
            x = graph.node("Where", null, new String[] {missing, impute, x});
        }
        x = graph.node("Sub", null, new String[] {x, graph.constant("center", vector.center(), vector.width())});
        return graph.node("Div", null, new String[] {x, graph.constant("scale", vector.scale(), vector.width())});
    }

    /**
     * The layers' nodes from {@code x}; the last layer's output is named {@code output} (or a fresh name when null),
     * and layer {@code code}'s is named {@link #CODE}.
     */
    private static String layers(OnnxGraph graph, MultiLayerNetwork network, String x, String output, int code) {
        return layers(graph, network, x, output, code, true);
    }

    /** As above; a GAN's generator ends in a dense identity layer ({@code endsInOutputLayer} false). */
    private static String layers(
            OnnxGraph graph, MultiLayerNetwork network, String x, String output, int code, boolean endsInOutputLayer) {
        return layers(graph, network, x, output, code, endsInOutputLayer, 0);
    }

    /** As above from layer {@code from} on (a network over token ids: after {@link TextNodes#sequence}). */
    private static String layers(
            OnnxGraph graph,
            MultiLayerNetwork network,
            String x,
            String output,
            int code,
            boolean endsInOutputLayer,
            int from) {
        int layers = network.getnLayers();
        var preprocessors = network.getLayerWiseConfigurations();
        for (int i = from; i < layers; i++) {
            Layer layer = network.getLayer(i);
            var conf = layer.conf().getLayer();
            boolean last = i == layers - 1;
            String name = last ? output : i == code ? CODE : null;
            var pre = preprocessors.getInputPreProcess(i);
            if (pre instanceof org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor
                    && i > 0
                    && network.getLayer(i - 1).conf().getLayer() instanceof GlobalPoolingLayer) {
                // After global pooling the rows are flat already: DL4J's reshape is a no-op.
                pre = null;
            }
            x = pre instanceof FlatToSequence windows
                    ? RecurrentNodes.sequence(graph, x, windows)
                    : ConvolutionNodes.preprocess(graph, x, pre, i);
            // A LastTimeStep layer's configuration is its underlying layer's; the wrapper shows in the layer itself.
            boolean lastStep = layer instanceof LastTimeStepLayer;
            if (last && endsInOutputLayer && !(conf instanceof OutputLayer)) {
                throw refused("layer " + i + " is " + conf.getClass().getSimpleName() + ", not an output layer");
            }
            if (conf instanceof DropoutLayer) {
                // An identity at inference: DL4J scales at training time (inverted dropout).
                continue;
            }
            String z;
            if (conf.getClass() == DenseLayer.class || conf.getClass() == OutputLayer.class) {
                INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
                INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
                if (b == null) {
                    throw refused("layer " + i + " has no bias");
                }
                long out = w.size(1);
                String weights = graph.constant("w" + i, w, w.size(0), out);
                String bias = graph.constant("b" + i, b, out);
                z = graph.node("Gemm", null, new String[] {x, weights, bias});
            } else if (recurrent(conf)) {
                var next = last ? null : network.getLayer(i + 1).conf().getLayer();
                if (!lastStep && !(next != null && (recurrent(next) || next instanceof GlobalPoolingLayer))) {
                    throw refused("layer " + i + " passes its whole sequence to a layer that is not recurrent");
                }
                x = conf instanceof LSTM lstm
                        ? RecurrentNodes.lstm(graph, x, layer, lstm, lastStep, i)
                        : RecurrentNodes.gru(graph, x, layer, (GruLayer) conf, lastStep, i);
                continue;
            } else if (conf instanceof GlobalPoolingLayer pooling) {
                // Windows have no mask: each unit's max or mean over the steps of [steps, batch, units].
                x = ConvolutionNodes.globalPooling(graph, x, null, pooling, 0, i);
                continue;
            } else if (conf.getClass() == ConvolutionLayer.class) {
                z = ConvolutionNodes.convolution(graph, x, layer, (ConvolutionLayer) conf, i);
            } else if (conf.getClass() == SubsamplingLayer.class) {
                x = ConvolutionNodes.pooling(graph, x, (SubsamplingLayer) conf, i);
                continue;
            } else if (conf.getClass() == BatchNormalization.class) {
                // DL4J's batch normalisation layer never applies its (inherited) activation function.
                x = ConvolutionNodes.batchNorm(graph, x, layer, (BatchNormalization) conf, i);
                if (name != null) {
                    x = graph.node("Identity", name, new String[] {x});
                }
                continue;
            } else {
                throw refused("layer " + i + " is " + conf.getClass().getSimpleName()
                        + " (dense, convolution, pooling, batch normalisation, LSTM, GRU, dropout and output layers "
                        + "export)");
            }
            x = activation(graph, z, ((BaseLayer) conf).getActivationFn(), i, name);
        }
        return x;
    }

    private static boolean recurrent(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf.getClass() == LSTM.class || conf.getClass() == GruLayer.class;
    }

    /** The width of dense layer {@code layer}'s output. */
    private static long width(MultiLayerNetwork network, int layer) {
        return network.getLayer(layer)
                .getParam(DefaultParamInitializer.WEIGHT_KEY)
                .size(1);
    }

    /**
     * How a graph over text wants its {@link TextNodes#TOKENS} input made, for {@code inputs.json}: the rule that
     * splits a row into tokens and the ids they get ({@code vocabulary} names the file of the vocabulary's tokens, in
     * id order from {@link TextPlan#FIRST_TOKEN}); null when the model has no text.
     */
    public static java.util.Map<String, Object> tokens(FeaturePlan plan, String vocabularyFile) {
        TextPlan text = plan.text();
        if (text == null) {
            return null;
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("input", TextNodes.TOKENS);
        out.put("shape", "[batch, " + text.spec().maxLength() + "], int64");
        out.put("columns", text.spec().columns());
        out.put(
                "tokenisation",
                (text.spec().lowercase() ? "lower-case each column, then " : "")
                        + (text.spec().unit() == io.trainyard.spec.data.TextSpec.Unit.WORDS
                                ? "split it on the regular expression [^\\p{L}\\p{N}]+ (Java), dropping empty tokens"
                                : "take each of its characters (Unicode code points) as a token")
                        + "; join the columns' tokens in order with the token " + TextPlan.SEPARATOR_TOKEN
                        + " between two columns; keep the first " + text.spec().maxLength());
        out.put(
                "ids",
                "0 pads a row after its last token, 1 is a token outside the vocabulary, 2 is "
                        + TextPlan.SEPARATOR_TOKEN + ", and the vocabulary's i-th token (from 0) is "
                        + TextPlan.FIRST_TOKEN + " + i");
        out.put("vocabulary", vocabularyFile);
        out.put("vocabulary_size", text.vocabulary().size());
        return out;
    }

    /** The input vector's slot names, in order: what {@code model.json} documents beside the graph. */
    public static java.util.List<String> inputSlots(FeaturePlan plan, NormalizerStats normalizer) {
        return InputVector.of(plan, normalizer).names();
    }

    static String activation(OnnxGraph graph, String x, IActivation fn, int layer, String output) {
        if (fn instanceof ActivationReLU relu) {
            if (relu.getMax() != null || !zeroOrUnset(relu.getThreshold()) || !zeroOrUnset(relu.getNegativeSlope())) {
                throw refused("layer " + layer + " uses a ReLU with a cap, threshold or slope");
            }
            return graph.node("Relu", output, new String[] {x});
        }
        if (fn instanceof ActivationLReLU leaky) {
            return graph.node(
                    "LeakyRelu", output, new String[] {x}, OnnxGraph.floatAttribute("alpha", (float) leaky.getAlpha()));
        }
        if (fn instanceof ActivationSigmoid) {
            return graph.node("Sigmoid", output, new String[] {x});
        }
        if (fn instanceof ActivationTanH) {
            return graph.node("Tanh", output, new String[] {x});
        }
        if (fn instanceof ActivationSoftmax) {
            return graph.node("Softmax", output, new String[] {x}, OnnxGraph.intAttribute("axis", 1));
        }
        if (fn instanceof ActivationIdentity) {
            return graph.node("Identity", output, new String[] {x});
        }
        throw refused("layer " + layer + " uses the " + fn + " activation");
    }

    private static boolean zeroOrUnset(Double value) {
        return value == null || value == 0.0;
    }

    private static String unscale(OnnxGraph graph, String x, TargetScale target, String output) {
        // One-element constants broadcast over every target column.
        String scale = graph.constant("target_scale", new float[] {(float) target.scale()}, 1);
        String center = graph.constant("target_center", new float[] {(float) target.center()}, 1);
        return graph.node("Add", output, new String[] {graph.node("Mul", null, new String[] {x, scale}), center});
    }

    static UserInputException refused(String why) {
        return new UserInputException("ONNX export: " + why);
    }
}
