package io.trainyard.model;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.model.LayerSpec;
import io.trainyard.spec.model.ModelSpec;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;

/** What a network is, in words and numbers: the log's one-line description, training FLOPs, output width. */
public final class NetworkSummary {
    private NetworkSummary() {}

    /**
     * Multiply-adds of one example's forward pass through the dense and convolution layers, times 2 FLOPs each,
     * times 3 for forward plus backward (the usual estimate; pooling, activations and updates are not counted).
     */
    public static double trainingFlopsPerExample(MultiLayerConfiguration conf, InputType input) {
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        double macs = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            var layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer conv) {
                var out = (InputType.InputTypeConvolutional) outputs.get(i);
                macs += (double) out.getHeight()
                        * out.getWidth()
                        * out.getChannels()
                        * conv.getKernelSize()[0]
                        * conv.getKernelSize()[1]
                        * conv.getNIn();
            } else if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
                // Only these multiply by a weight matrix: batch normalisation and dropout are also "feed-forward"
                // layers in DL4J, with nIn = nOut, but do per-element work.
                var ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
                macs += (double) ff.getNIn() * ff.getNOut();
            }
        }
        return 2 * macs * 3;
    }

    /** An RNN or CNN over text: "embedding 300 tokens x 32 -> gru [32]". */
    private static String describeText(ModelSpec m, int length) {
        String over = m.type() == io.trainyard.spec.model.ModelType.RNN
                ? SpecEnums.name(m.cell()) + " " + m.hidden()
                : "cnn "
                        + (m.layers().isEmpty() ? TextNetworks.DEFAULT_CNN : m.layers())
                                .stream().map(NetworkSummary::describe).toList()
                        + " -> global max";
        return "embedding " + length + " tokens x " + m.embedding() + " -> " + over;
    }

    /** One line for the log: "mlp 18 -> [64, 32] -> 3 softmax (mcxent)"; without a head (a GAN's), the layers only. */
    public static String describe(JobSpec spec, int inputWidth, OutputHead head) {
        ModelSpec m = spec.model();
        String body = spec.data().text().enabled() && m.type() != io.trainyard.spec.model.ModelType.MLP
                ? describeText(m, inputWidth)
                : switch (m.type()) {
                    case MLP -> "mlp " + inputWidth + " -> " + m.hidden();
                    case CNN ->
                        "cnn " + spec.data().shape() + " -> "
                                + m.layers().stream()
                                        .map(NetworkSummary::describe)
                                        .toList();
                    case RNN ->
                        SpecEnums.name(m.cell()) + " "
                                + java.util.Arrays.toString(NetworkFactory.sequenceShape(spec, inputWidth)) + " -> "
                                + m.hidden();
                    case GAN ->
                        "gan " + m.gan().noise() + " -> " + m.gan().generator() + " -> " + inputWidth + " -> "
                                + m.gan().discriminator() + " -> 1";
                    case AUTOENCODER ->
                        "autoencoder " + inputWidth + " -> " + m.hidden() + " -> "
                                + m.autoencoder().bottleneck() + " -> "
                                + m.autoencoder().decoderFor(m.hidden());
                };
        if (head == null) {
            return body;
        }
        return body + " -> " + head.width() + " " + head.activation().name().toLowerCase(java.util.Locale.ROOT) + " ("
                + head.loss().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private static String describe(LayerSpec l) {
        String window =
                l.kernel().get(0) + "x" + l.kernel().get(1) + "/" + l.stride().get(0);
        return switch (l.kind()) {
            case CONV -> "conv " + l.size() + " " + window;
            case POOL -> SpecEnums.name(l.pooling()) + "pool " + window;
            case DENSE -> "dense " + l.size();
            case BATCHNORM -> "batchnorm";
            case DROPOUT -> "dropout " + l.rate();
        };
    }

    /** The width of a network's last layer (its bias length): classes, regression targets, reconstructed inputs. */
    public static int outputWidth(org.deeplearning4j.nn.multilayer.MultiLayerNetwork network) {
        return (int) network.getLayer(network.getnLayers() - 1).getParam("b").length();
    }
}
