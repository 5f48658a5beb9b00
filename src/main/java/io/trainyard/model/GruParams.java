package io.trainyard.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GRU layer's parameters as views of the network's flat parameter array: input weights {@code W [nIn, 3 nOut]},
 * recurrent weights {@code RW [nOut, 3 nOut]} and bias {@code b [1, 3 nOut]}, gates in column blocks z, r, n.
 * Each gate's block is initialised as its own {@code [fanIn, nOut]} matrix, as DL4J does for an LSTM's gates.
 */
public final class GruParams implements ParamInitializer {
    public static final GruParams INSTANCE = new GruParams();
    public static final String INPUT_WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "RW";
    public static final String BIAS = "b";
    private static final List<String> WEIGHTS = List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS);
    private static final int GATES = 3;

    private GruParams() {}

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GruLayer c = (GruLayer) layer;
        return GATES * c.getNOut() * (c.getNIn() + c.getNOut() + 1);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, BIAS);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHTS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHTS.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        GruLayer c = (GruLayer) conf.getLayer();
        long nIn = c.getNIn();
        long nOut = c.getNOut();
        Map<String, INDArray> m = views(paramsView, nIn, nOut);
        if (initializeParams) {
            IWeightInit recurrent =
                    c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : c.getWeightInitFn();
            for (int g = 0; g < GATES; g++) {
                INDArray w = m.get(INPUT_WEIGHTS).get(interval(0, nIn), interval(g * nOut, (g + 1) * nOut));
                w.assign(c.getWeightInitFn().init(nIn, nOut, new long[] {nIn, nOut}, 'f', w.dup('f')));
                INDArray rw = m.get(RECURRENT_WEIGHTS).get(interval(0, nOut), interval(g * nOut, (g + 1) * nOut));
                rw.assign(recurrent.init(nOut, nOut, new long[] {nOut, nOut}, 'f', rw.dup('f')));
            }
            m.get(BIAS).assign(c.getBiasInit());
        }
        for (String key : paramKeys(c)) {
            conf.addVariable(key);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        GruLayer c = (GruLayer) conf.getLayer();
        return views(gradientView, c.getNIn(), c.getNOut());
    }

    private static Map<String, INDArray> views(INDArray flat, long nIn, long nOut) {
        long w = nIn * GATES * nOut;
        long rw = nOut * GATES * nOut;
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(INPUT_WEIGHTS, flat.get(interval(0, 0, true), interval(0, w)).reshape('f', nIn, GATES * nOut));
        m.put(
                RECURRENT_WEIGHTS,
                flat.get(interval(0, 0, true), interval(w, w + rw)).reshape('f', nOut, GATES * nOut));
        m.put(BIAS, flat.get(interval(0, 0, true), interval(w + rw, w + rw + GATES * nOut)));
        return m;
    }
}
