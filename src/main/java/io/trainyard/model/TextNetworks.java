package io.trainyard.model;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.model.LayerSpec;
import io.trainyard.spec.model.ModelSpec;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Networks over text read as token ids: an embedding layer turns each id into a learned vector of
 * {@code model.embedding} values, then recurrent layers (the last one's final unmasked step feeds the head) or 1-D
 * convolutions with global max pooling. Inputs are {@code max-length} ids padded with 0, and every minibatch carries
 * the mask of its padding, so a row scores the same however far it was padded. {@code model.dropout} drops the
 * embedded token vectors (the inputs of the layer after the embedding) as well as the head's inputs: without it these
 * networks overfit a few thousand documents within a few epochs.
 */
final class TextNetworks {
    /** A CNN over text without {@code model.layers}: 128 filters 5 tokens wide, the sentence classifier's classic. */
    static final List<LayerSpec> DEFAULT_CNN = List.of(new LayerSpec(
            LayerSpec.Kind.CONV,
            128,
            List.of(1, 5),
            List.of(1, 1),
            LayerSpec.Padding.SAME,
            LayerSpec.Pooling.MAX,
            null,
            0));

    private TextNetworks() {}

    /** Embedding, then {@code model.hidden} recurrent layers (LSTM or GRU) and their readout, then the head. */
    static MultiLayerConfiguration rnn(JobSpec spec, int length, int ids, OutputHead head) {
        ModelSpec model = spec.model();
        NeuralNetConfiguration.ListBuilder layers = NetworkFactory.base(model, spec.train());
        layers.layer(embedding(model, length, ids));
        NetworkFactory.recurrentLayers(layers, model, true);
        layers.layer(NetworkFactory.outputDroppingInputs(model, head));
        return withInput(layers, length);
    }

    /**
     * Embedding, then {@code model.layers} along the tokens (a conv or pool layer's window is its kernel's width),
     * global max pooling over the unmasked steps before the first dense layer (or the head), then the head.
     */
    static MultiLayerConfiguration cnn(JobSpec spec, int length, int ids, OutputHead head) {
        ModelSpec model = spec.model();
        NeuralNetConfiguration.ListBuilder layers = NetworkFactory.base(model, spec.train());
        layers.layer(embedding(model, length, ids));
        boolean pooled = false;
        boolean first = true;
        for (LayerSpec l : model.layers().isEmpty() ? DEFAULT_CNN : model.layers()) {
            Activation activation = l.activation() != null ? l.activation() : model.activation();
            ConvolutionMode mode =
                    l.padding() == LayerSpec.Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
            if (l.kind() == LayerSpec.Kind.DENSE && !pooled) {
                layers.layer(globalMax());
                pooled = true;
            }
            layers.layer(
                    switch (l.kind()) {
                        case CONV -> {
                            Convolution1DLayer.Builder conv = new Convolution1DLayer.Builder(
                                            l.kernel().get(1), l.stride().get(1))
                                    .convolutionMode(mode)
                                    .nOut(l.size())
                                    .activation(activation);
                            yield (first ? NetworkFactory.droppingInputs(conv, model.dropout()) : conv).build();
                        }
                        case POOL ->
                            new Subsampling1DLayer.Builder(
                                            l.pooling() == LayerSpec.Pooling.MAX ? PoolingType.MAX : PoolingType.AVG)
                                    .kernelSize(l.kernel().get(1))
                                    .stride(l.stride().get(1))
                                    .convolutionMode(mode)
                                    .build();
                        case DENSE, BATCHNORM, DROPOUT -> NetworkFactory.shapeless(l, activation);
                    });
            first = false;
        }
        if (!pooled) {
            layers.layer(globalMax());
        }
        layers.layer(NetworkFactory.outputDroppingInputs(model, head));
        return withInput(layers, length);
    }

    /**
     * Token ids to vectors; the length is taken from each input, so one network scores a row padded to
     * {@code max-length} and the same row unpadded alike.
     */
    private static EmbeddingSequenceLayer embedding(ModelSpec model, int length, int ids) {
        return new EmbeddingSequenceLayer.Builder()
                .nIn(ids)
                .nOut(model.embedding())
                .inputLength(length)
                .inferInputLength(true)
                .build();
    }

    /**
     * Layer sizes inferred from sequences of {@code length} ids; the embedding keeps its own {@code nIn} (the token
     * ids), which DL4J would otherwise take from the input width.
     */
    private static MultiLayerConfiguration withInput(NeuralNetConfiguration.ListBuilder layers, int length) {
        layers.overrideNinUponBuild(false);
        layers.setInputType(InputType.feedForward(length));
        return layers.build();
    }

    private static GlobalPoolingLayer globalMax() {
        return new GlobalPoolingLayer.Builder(PoolingType.MAX).build();
    }
}
