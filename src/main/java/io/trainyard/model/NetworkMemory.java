package io.trainyard.model;

import io.trainyard.run.Saturating;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.model.LayerSpec;
import io.trainyard.spec.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * How much off-heap memory training a network takes, estimated before anything is allocated, so that a network too
 * large for the machine is refused at once instead of hanging in ND4J's allocator. Plain arithmetic over the
 * configuration (or, before the data is read, over the spec alone); no Spark.
 */
public final class NetworkMemory {
    private NetworkMemory() {}

    /**
     * @param parameters            weights and biases
     * @param updaterState          the optimiser's state (Adam: two values per parameter)
     * @param activationsPerExample every layer's outputs for one example
     */
    public record Estimate(long parameters, long updaterState, long activationsPerExample) {
        /** One worker: parameters, gradients, updater state, and a minibatch's activations and their gradients. */
        public long workerBytes(int batch) {
            return bytes(Saturating.add(
                    Saturating.multiply(2, parameters),
                    updaterState,
                    Saturating.multiply(2L * batch, activationsPerExample)));
        }

        /** The driver's copy of what a round averages: parameters and updater state. */
        public long driverBytes() {
            return bytes(Saturating.add(parameters, updaterState));
        }

        /** Two networks trained side by side (a GAN's discriminator and its generator-discriminator stack). */
        public Estimate plus(Estimate other) {
            return new Estimate(
                    Saturating.add(parameters, other.parameters),
                    Saturating.add(updaterState, other.updaterState),
                    Saturating.add(activationsPerExample, other.activationsPerExample));
        }
    }

    /** The estimate for a built configuration taking {@code input}. */
    public static Estimate of(MultiLayerConfiguration conf, InputType input, IUpdater updater) {
        long parameters = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            var layer = conf.getConf(i).getLayer();
            parameters = Saturating.add(parameters, layer.initializer().numParams(layer));
        }
        long activations = 0;
        for (InputType type : conf.getLayerActivationTypes(input)) {
            activations = Saturating.add(activations, type.arrayElementsPerExample());
        }
        return new Estimate(parameters, updater.stateSize(parameters), activations);
    }

    /**
     * A lower bound from the spec alone, every input and output taken as one value wide: what the layers the spec
     * names cost whatever the data turns out to be. Convolutions count their kernels, not their activations.
     */
    public static Estimate lowerBound(JobSpec spec) {
        ModelSpec m = spec.model();
        List<Integer> widths = new ArrayList<>();
        long extra = 0;
        switch (m.type()) {
            case MLP -> widths.addAll(m.hidden());
            case RNN -> {
                widths.addAll(m.hidden());
                for (int h : m.hidden()) {
                    // Each recurrent layer holds at least three h x h recurrent weight matrices (GRU; LSTM four).
                    extra = Saturating.add(extra, Saturating.multiply(3L * h, h));
                }
            }
            case AUTOENCODER -> {
                widths.addAll(m.hidden());
                widths.add(m.autoencoder().bottleneck());
                widths.addAll(m.autoencoder().decoderFor(m.hidden()));
            }
            case CNN -> {
                int channels =
                        spec.data().shape().isEmpty() ? 1 : spec.data().shape().get(0);
                for (LayerSpec l : m.layers()) {
                    if (l.kind() == LayerSpec.Kind.CONV) {
                        extra = Saturating.add(
                                extra,
                                Saturating.multiply(
                                        (long) channels
                                                * l.kernel().get(0)
                                                * l.kernel().get(1),
                                        l.size()),
                                l.size());
                        channels = l.size();
                    } else if (l.kind() == LayerSpec.Kind.DENSE) {
                        widths.add(l.size());
                    }
                }
            }
            case GAN -> {
                // The discriminator, and the stack of generator and discriminator: the discriminator counts twice.
                Estimate d = chain(m.gan().discriminator(), 1, 0);
                Estimate p = d.plus(d).plus(chain(m.gan().generator(), m.gan().noise(), 0));
                return new Estimate(
                        p.parameters(),
                        NetworkFactory.updater(spec.train()).stateSize(p.parameters()),
                        p.activationsPerExample());
            }
            default -> throw new IllegalStateException("unhandled " + m.type());
        }
        Estimate e = chain(widths, 1, extra);
        return new Estimate(
                e.parameters(),
                NetworkFactory.updater(spec.train()).stateSize(e.parameters()),
                e.activationsPerExample());
    }

    /** Dense layers of {@code widths} between an input of {@code in} values and one output, plus {@code extra}. */
    private static Estimate chain(List<Integer> widths, int in, long extra) {
        long parameters = extra;
        long activations = 0;
        int previous = in;
        for (int w : widths) {
            parameters = Saturating.add(parameters, Saturating.multiply(previous, w), w);
            activations = Saturating.add(activations, w);
            previous = w;
        }
        parameters = Saturating.add(parameters, previous, 1);
        return new Estimate(parameters, 0, activations);
    }

    /** The spec key that sizes the network, with its value, for messages. */
    public static String layersKey(JobSpec spec) {
        ModelSpec m = spec.model();
        return switch (m.type()) {
            case CNN -> "model.layers";
            case GAN ->
                "model.gan.generator = " + m.gan().generator() + ", model.gan.discriminator = "
                        + m.gan().discriminator();
            default -> "model.hidden = " + m.hidden();
        };
    }

    static long bytes(long values) {
        return Saturating.multiply(values, Float.BYTES);
    }
}
