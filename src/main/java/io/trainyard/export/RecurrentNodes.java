package io.trainyard.export;

import io.trainyard.model.FlatToSequence;
import io.trainyard.model.GruLayer;
import io.trainyard.model.GruParams;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Recurrent layers as ONNX nodes. The flat window rows ({@link FlatToSequence}: all steps of the first input, then the
 * next) become ONNX's sequence layout {@code [steps, batch, inputs]}; each LSTM or GRU layer passes its whole output
 * sequence on, and the last one (DL4J's {@code LastTimeStep}) its final hidden state, which is ONNX's {@code Y_h}.
 */
final class RecurrentNodes {
    /** DL4J's LSTM column blocks, in ONNX's gate order i, o, f, c: DL4J keeps c, f, o, i (candidate first). */
    private static final int[] LSTM_BLOCKS = {3, 2, 1, 0};
    /** Trainyard's GRU keeps z, r, n, which is ONNX's z, r, h. */
    private static final int[] GRU_BLOCKS = {0, 1, 2};

    private RecurrentNodes() {}

    /** Flat rows {@code [batch, inputs * steps]} as {@code [steps, batch, inputs]}. */
    static String sequence(OnnxGraph graph, String x, FlatToSequence windows) {
        String shaped = graph.node("Reshape", null, new String[] {
            x, graph.longs("window_shape", -1, windows.getFeatures(), windows.getSteps())
        });
        return graph.node("Transpose", null, new String[] {shaped}, OnnxGraph.intsAttribute("perm", 2, 0, 1));
    }

    /**
     * An LSTM layer (DL4J's, without peepholes; gates sigmoid, cell tanh) on the sequence {@code x}: returns the
     * output sequence {@code [steps, batch, hidden]}, or with {@code last} the final state {@code [batch, hidden]}.
     */
    static String lstm(OnnxGraph graph, String x, Layer layer, LSTM conf, boolean last, int i) {
        return lstm(graph, x, layer, conf, last, i, null);
    }

    /** As above over sequences of {@code lengths} steps each (int32 {@code [batch]}; null: every step). */
    static String lstm(OnnxGraph graph, String x, Layer layer, LSTM conf, boolean last, int i, String lengths) {
        requireActivation(conf.getGateActivationFn(), ActivationSigmoid.class, "gate", i);
        requireActivation(conf.getActivationFn(), ActivationTanH.class, "cell", i);
        return recurrent(
                graph,
                "LSTM",
                x,
                layer.getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY),
                layer.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY),
                layer.getParam(LSTMParamInitializer.BIAS_KEY),
                LSTM_BLOCKS,
                last,
                i,
                lengths);
    }

    /**
     * Trainyard's GRU layer on the sequence {@code x}: ONNX's GRU with the reset gate applied before the recurrent
     * product ({@code linear_before_reset = 0}), as {@link GruLayer}'s equations have it.
     */
    static String gru(OnnxGraph graph, String x, Layer layer, GruLayer conf, boolean last, int i) {
        return gru(graph, x, layer, conf, last, i, null);
    }

    /** As above over sequences of {@code lengths} steps each (int32 {@code [batch]}; null: every step). */
    static String gru(OnnxGraph graph, String x, Layer layer, GruLayer conf, boolean last, int i, String lengths) {
        return recurrent(
                graph,
                "GRU",
                x,
                layer.getParam(GruParams.INPUT_WEIGHTS),
                layer.getParam(GruParams.RECURRENT_WEIGHTS),
                layer.getParam(GruParams.BIAS),
                GRU_BLOCKS,
                last,
                i,
                lengths);
    }

    /**
     * One ONNX recurrent node: DL4J's {@code [in, gates * hidden]} weights become ONNX's {@code [1, gates * hidden,
     * in]} with the blocks in ONNX's order; DL4J's one bias is ONNX's input bias, the recurrent bias zero.
     */
    private static String recurrent(
            OnnxGraph graph,
            String op,
            String x,
            INDArray w,
            INDArray rw,
            INDArray b,
            int[] blocks,
            boolean last,
            int i,
            String lengths) {
        long hidden = rw.size(0);
        long inputs = w.size(0);
        int gates = blocks.length;
        float[] bias = new float[(int) (2 * gates * hidden)];
        float[] dlBias = b.reshape(b.length()).toFloatVector();
        for (int g = 0; g < gates; g++) {
            for (int j = 0; j < hidden; j++) {
                bias[(int) (g * hidden + j)] = dlBias[(int) (blocks[g] * hidden + j)];
            }
        }
        List<String> in = new ArrayList<>(List.of(
                x,
                graph.constant(op.toLowerCase() + "_w" + i, gateRows(w, blocks, hidden), 1, gates * hidden, inputs),
                graph.constant(op.toLowerCase() + "_r" + i, gateRows(rw, blocks, hidden), 1, gates * hidden, hidden),
                graph.constant(op.toLowerCase() + "_b" + i, bias, 1, 2 * gates * hidden)));
        if (lengths != null) {
            // Y is zero past a row's length and Y_h its state at its last step: DL4J's masked layers and LastTimeStep.
            in.add(lengths);
        }
        String[] outputs =
                graph.nodeWithOutputs(op, 2, in.toArray(String[]::new), OnnxGraph.intAttribute("hidden_size", hidden));
        // Y is [steps, 1, batch, hidden] and Y_h [1, batch, hidden]: drop the direction axis.
        return last
                ? graph.node("Squeeze", null, new String[] {outputs[1], graph.longs("axis", 0)})
                : graph.node("Squeeze", null, new String[] {outputs[0], graph.longs("axis", 1)});
    }

    /** {@code [in, gates * hidden]} as the rows of {@code [gates * hidden, in]}, blocks in ONNX's order. */
    private static float[] gateRows(INDArray weights, int[] blocks, long hidden) {
        float[][] m = weights.toFloatMatrix();
        int in = m.length;
        float[] out = new float[(int) (blocks.length * hidden * in)];
        int at = 0;
        for (int block : blocks) {
            for (int j = 0; j < hidden; j++) {
                for (int k = 0; k < in; k++) {
                    out[at++] = m[k][(int) (block * hidden + j)];
                }
            }
        }
        return out;
    }

    private static void requireActivation(IActivation fn, Class<?> expected, String what, int layer) {
        if (!expected.isInstance(fn)) {
            throw OnnxExport.refused("layer " + layer + "'s " + what + " activation is " + fn + " (an LSTM exports "
                    + "with sigmoid gates and a tanh cell)");
        }
    }
}
