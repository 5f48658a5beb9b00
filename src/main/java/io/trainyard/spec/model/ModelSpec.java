package io.trainyard.spec.model;

import io.trainyard.spec.check.Checks;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import java.util.List;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The network (the {@code model.*} keys).
 *
 * @param hidden           MLP: widths of the hidden layers; RNN: widths of the recurrent layers; input side first
 * @param layers           CNN: the hidden layers, input side first
 * @param cell             RNN: the recurrent layer (LSTM or GRU)
 * @param readout          RNN: the last step, or each unit's max or mean over the steps, to the head
 * @param embedding        RNN and CNN over text: width of each token's learned vector
 * @param autoencoder      autoencoder: bottleneck, decoder, normal class, anomaly threshold
 * @param gan              GAN: noise, generator and discriminator widths and step sizes, stabilisers
 * @param activation       hidden-layer activation
 * @param outputActivation output activation; null = chosen from the task and loss
 * @param dropout          probability of dropping a hidden unit's input, in [0, 1)
 * @param weightInit       DL4J weight initialisation (xavier, uniform, relu, ...); null = auto, the family's
 * @param seed             seed of the initial weights
 * @param threshold        a binary model's decision threshold, fixed or chosen on validation
 */
public record ModelSpec(
        ModelType type,
        List<Integer> hidden,
        List<LayerSpec> layers,
        RecurrentCell cell,
        Readout readout,
        int embedding,
        AutoencoderSpec autoencoder,
        GanSpec gan,
        Activation activation,
        Activation outputActivation,
        Loss loss,
        double dropout,
        double l2,
        WeightInit weightInit,
        long seed,
        DecisionThreshold threshold) {
    /**
     * The most hidden or CNN layers a network may have: memory is checked before training, but work is not, and a
     * spec of thousands of layers would train for hours on a few rows. Networks that train well here have tens.
     */
    public static final int MAX_LAYERS = 100;
    /** The widest token vector: an embedding holds this many parameters per vocabulary entry. */
    public static final int MAX_EMBEDDING = 4096;

    public ModelSpec {
        hidden = List.copyOf(hidden);
        layers = List.copyOf(layers);
        requireAtMostMaxLayers("model.hidden", hidden);
        requireAtMostMaxLayers("model.layers", layers);
        Checks.between("model.embedding", embedding, 1, MAX_EMBEDDING);
        if (type != ModelType.CNN && !layers.isEmpty()) {
            throw new SpecException("model.layers applies to model.type = cnn; model.type is " + SpecEnums.name(type)
                    + " (an MLP or RNN takes model.hidden)");
        }
        if (type == ModelType.AUTOENCODER && (loss == Loss.BCE || loss == Loss.CCE)) {
            throw new SpecException("model.type = autoencoder reconstructs its inputs: model.loss must be mse or mae "
                    + "(or auto), got " + SpecEnums.name(loss));
        }
        if (type == ModelType.AUTOENCODER && outputActivation != null && outputActivation == Activation.SOFTMAX) {
            throw new SpecException("model.type = autoencoder reconstructs its inputs: model.output-activation = "
                    + "softmax does not fit; leave it auto (identity)");
        }
        if (type == ModelType.RNN && hidden.isEmpty()) {
            throw new SpecException("model.type = rnn needs at least one recurrent layer in model.hidden, e.g. [32]");
        }
        for (int width : hidden) {
            Checks.positive("model.hidden", width);
        }
        Checks.halfOpenUnit("model.dropout", dropout);
        Checks.nonNegative("model.l2", l2);
        if (outputActivation == Activation.SOFTMAX && (loss == Loss.MSE || loss == Loss.MAE || loss == Loss.BCE)) {
            throw new SpecException("model.output-activation = softmax does not go with model.loss = "
                    + SpecEnums.name(loss) + "; use cce (or leave model.loss = auto)");
        }
        if (threshold.isSet() && (type == ModelType.AUTOENCODER || type == ModelType.GAN)) {
            throw new SpecException("model.threshold applies to a binary classifier; model.type = "
                    + SpecEnums.name(type) + " has none (an autoencoder's is model.threshold-percentile)");
        }
        if (outputActivation == Activation.SIGMOID && loss == Loss.CCE) {
            throw new SpecException("model.output-activation = sigmoid does not go with model.loss = cce; use bce");
        }
    }

    /** Refuses a list of more than {@link #MAX_LAYERS} layers, naming its key. */
    static void requireAtMostMaxLayers(String key, List<?> layers) {
        if (layers.size() > MAX_LAYERS) {
            throw new SpecException(key + " lists " + layers.size() + " layers; Trainyard takes at most " + MAX_LAYERS);
        }
    }

    /** An autoencoder's bottleneck layer: it follows the {@code hidden} encoder layers. */
    public int codeLayer() {
        return hidden.size();
    }

    /** Whether a binary label is one 0/1 column (sigmoid) rather than two one-hot columns (softmax). */
    public boolean binaryAsOneColumn() {
        return outputActivation != Activation.SOFTMAX && loss != Loss.CCE;
    }
}
