package io.trainyard.model;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.model.GanSpec;
import io.trainyard.spec.model.ModelSpec;
import io.trainyard.spec.train.TrainSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A GAN's networks, as DL4J configurations. DL4J has no GAN API; the usual construction with its parts:
 * <ul>
 *   <li>the <b>discriminator</b>: a row to the probability that it is real (sigmoid, binary cross-entropy), with
 *       its own step size;</li>
 *   <li>the <b>stack</b>: the generator's layers (noise to a row, identity output) followed by a copy of the
 *       discriminator's layers whose updater is NoOp, trained to call generated rows real: the generator learns
 *       through the discriminator. Its parameters are the generator's, then the discriminator's, so the
 *       discriminator's are copied in before each generator step (DL4J's NoOp passes the raw gradient on, so the
 *       copy drifts during a step; the copy made before the next one undoes that);</li>
 *   <li>the <b>generator</b> alone (the stack's first {@link Gan#generatorLayers} layers), which is what is
 *       published.</li>
 * </ul>
 */
public final class GanFactory {
    private GanFactory() {}

    /** The three configurations; the generator's layers are the first {@code generatorLayers} of the stack. */
    public record Gan(
            MultiLayerConfiguration discriminator,
            MultiLayerConfiguration stack,
            MultiLayerConfiguration generator,
            int generatorLayers) {}

    public static Gan build(JobSpec spec, int rowWidth) {
        ModelSpec model = spec.model();
        TrainSpec train = spec.train();
        GanSpec gan = model.gan();
        IUpdater g = NetworkFactory.updater(train, gan.generatorLearningRate());
        IUpdater d = NetworkFactory.updater(train, gan.discriminatorLearningRate());

        NeuralNetConfiguration.ListBuilder discriminator = NetworkFactory.base(model, train);
        addDiscriminator(discriminator, model, rowWidth, d);

        NeuralNetConfiguration.ListBuilder stack = NetworkFactory.base(model, train);
        addGenerator(stack, model, rowWidth, g);
        addDiscriminator(stack, model, rowWidth, new NoOp());

        NeuralNetConfiguration.ListBuilder generator = NetworkFactory.base(model, train);
        addGenerator(generator, model, rowWidth, g);
        return new Gan(
                discriminator.build(),
                stack.build(),
                generator.build(),
                gan.generator().size() + 1);
    }

    private static void addGenerator(
            NeuralNetConfiguration.ListBuilder layers, ModelSpec model, int rowWidth, IUpdater updater) {
        int in = model.gan().noise();
        for (int width : model.gan().generator()) {
            layers.layer(NetworkFactory.dense(width, model.activation(), 0)
                    .nIn(in)
                    .updater(updater)
                    .build());
            in = width;
        }
        // A dense identity layer, not an output layer: in the stack the discriminator follows it.
        layers.layer(new DenseLayer.Builder()
                .nIn(in)
                .nOut(rowWidth)
                .activation(Activation.IDENTITY)
                .updater(updater)
                .build());
    }

    private static void addDiscriminator(
            NeuralNetConfiguration.ListBuilder layers, ModelSpec model, int rowWidth, IUpdater updater) {
        int in = rowWidth;
        for (int width : model.gan().discriminator()) {
            layers.layer(NetworkFactory.dense(width, model.activation(), model.dropout())
                    .nIn(in)
                    .updater(updater)
                    .build());
            in = width;
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                .nIn(in)
                .nOut(1)
                .activation(Activation.SIGMOID)
                .updater(updater)
                .build());
    }
}
