package io.trainyard.model;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a gated recurrent unit layer (Cho et al. 2014, the reset gate applied before the recurrent
 * product), which DL4J does not have. Input and output {@code [batch, size, steps]}; with {@code h(-1) = 0}, per step:
 * <pre>
 *   z = sigmoid(x Wz + h Uz + bz)     r = sigmoid(x Wr + h Ur + br)
 *   n = tanh(x Wn + (r * h) Un + bn)  h' = (1 - z) * n + z * h
 * </pre>
 * Parameters ({@link GruParams}): {@code W [nIn, 3 nOut]}, {@code RW [nOut, 3 nOut]}, {@code b [1, 3 nOut]}, each
 * in column blocks z, r, n. The forward and backward passes ({@link GruImpl}) are written out in ND4J, like DL4J's
 * own SimpleRnn: a SameDiff version was tried first and SameDiff 1.0.0-M2 computed wrong gradients for parameters
 * used at more than one step. A recurrent layer of DL4J's kind, so {@code LastTimeStep} wraps it like an LSTM.
 */
public class GruLayer extends BaseRecurrentLayer {
    private static final long serialVersionUID = 1L;

    protected GruLayer(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    /** For Jackson (configurations are read back from JSON). */
    protected GruLayer() {}

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        GruImpl layer = new GruImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GruParams.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return null;
    }

    /** Builds a GRU layer: {@code new GruLayer.Builder().nOut(32).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GruLayer build() {
            return new GruLayer(this);
        }
    }
}
