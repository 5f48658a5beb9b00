package io.trainyard.gan;

import io.trainyard.spec.Seeds;
import io.trainyard.spec.train.StepKind;
import io.trainyard.train.averaging.WorkerStep;
import io.trainyard.train.step.MinibatchFitter;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A GAN's round on a worker, the GAN's {@link WorkerStep}: for each of its minibatches of real rows, the worker
 * alternates {@code discriminatorSteps} discriminator steps on the real rows (target {@code smoothing}) and as many
 * generated ones (target 0), then one generator step through the stack, whose discriminator half is first set to the
 * discriminator's current parameters. The networks are the discriminator (0) and the stack (1); both go back to be
 * averaged. Noise is drawn from ND4J's generator seeded per round and partition. Both networks are dense layers and
 * an output layer, so {@code train.step} fits them with the lean step as it fits an MLP.
 */
record GanStep(int generatorLayers, int noise, double smoothing, int discriminatorSteps, StepKind kind)
        implements WorkerStep {
    @Override
    public double[] fit(MultiLayerNetwork[] networks, List<DataSet> minibatches, RoundPosition round) {
        MultiLayerNetwork d = networks[0];
        MultiLayerNetwork stack = networks[1];
        int frequency = round.frequency();
        // Pooled networks count their own iterations; set them from the round so Adam's steps do not depend on which
        // pooled network a task is given.
        d.getLayerWiseConfigurations().setIterationCount(round.round() * frequency * discriminatorSteps);
        stack.getLayerWiseConfigurations().setIterationCount(round.round() * frequency);
        Nd4j.getRandom()
                .setSeed(Seeds.derive(
                        round.splitSeed(), "gan-worker", (long) round.split() * 1_000_003L + round.partition()));
        long generatorParams = generatorParams(stack, generatorLayers);
        MinibatchFitter discriminator = MinibatchFitter.kept(d, kind);
        MinibatchFitter generator = MinibatchFitter.kept(stack, kind);
        double dLoss = 0;
        double gLoss = 0;
        int fitted = 0;
        for (DataSet real : minibatches) {
            if (fitted++ == frequency) {
                break;
            }
            int rows = real.numExamples();
            for (int s = 0; s < discriminatorSteps; s++) {
                INDArray fake = generate(stack, generatorLayers, Nd4j.randn(DataType.FLOAT, rows, noise));
                INDArray x = Nd4j.vstack(real.getFeatures(), fake);
                INDArray y = Nd4j.vstack(
                        Nd4j.valueArrayOf(new long[] {rows, 1}, smoothing, DataType.FLOAT),
                        Nd4j.zeros(DataType.FLOAT, rows, 1));
                discriminator.fit(new DataSet(x, y), true);
                dLoss += d.score();
            }
            stack.params()
                    .get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(generatorParams, stack.numParams()))
                    .assign(d.params());
            generator.fit(
                    new DataSet(Nd4j.randn(DataType.FLOAT, rows, noise), Nd4j.ones(DataType.FLOAT, rows, 1)), true);
            gLoss += stack.score();
        }
        int steps = Math.min(fitted, frequency);
        return new double[] {dLoss / (steps * discriminatorSteps), gLoss / steps};
    }

    /** Parameters of the stack's first {@code layers} layers (the generator's). */
    static long generatorParams(MultiLayerNetwork stack, int layers) {
        long n = 0;
        for (int i = 0; i < layers; i++) {
            n += stack.getLayer(i).numParams();
        }
        return n;
    }

    /** Generated rows: the activations of the stack's last generator layer. */
    static INDArray generate(MultiLayerNetwork stack, int generatorLayers, INDArray noise) {
        return stack.feedForwardToLayer(generatorLayers - 1, noise, false).get(generatorLayers);
    }
}
