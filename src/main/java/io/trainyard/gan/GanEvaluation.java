package io.trainyard.gan;

import io.trainyard.data.PreparedData;
import io.trainyard.evaluate.TestSample;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a generator is measured: the multi-scale MMD between its rows, drawn from noise of one fixed seed, and up to
 * {@link #ROWS} real rows of the validation split (every epoch) or the test split (once, at the end), with the kernel
 * width fitted on the validation rows. Collected once per run and shared by a sweep's trials, so every trial is
 * measured against the same rows; the noise is as wide as each generator's input (a sweep may vary it).
 */
public final class GanEvaluation {
    /** Rows of a split the MMD is measured on (it is quadratic in them). */
    static final int ROWS = 1500;

    private final double[][] validation;
    private final double[][] test;
    private final double kernel;
    private final long seed;

    private GanEvaluation(double[][] validation, double[][] test, long seed) {
        this.validation = validation;
        this.test = test;
        this.kernel = Mmd.medianDistance(validation);
        this.seed = seed;
    }

    public static GanEvaluation of(PreparedData data, JobSpec spec) {
        return new GanEvaluation(
                rows(data.validation()),
                rows(data.test()),
                Seeds.derive(spec.model().seed(), "gan-evaluation"));
    }

    double validation(MultiLayerNetwork generator) {
        return Mmd.multiScale(sample(generator, validation.length, seed), validation, kernel);
    }

    public double test(MultiLayerNetwork generator) {
        return Mmd.multiScale(sample(generator, test.length, seed), test, kernel);
    }

    /** Up to {@code n} of the real test rows the generator is measured on (normalised), for a picture. */
    public double[][] testSample(int n) {
        return java.util.Arrays.copyOf(test, Math.min(n, test.length));
    }

    public int testRows() {
        return test.length;
    }

    public double kernelWidth() {
        return kernel;
    }

    /** {@code n} generated rows (normalised) from noise of a fixed seed, as wide as the generator's input. */
    public static double[][] sample(MultiLayerNetwork generator, int n, long seed) {
        // ND4J's random generator is per thread: trials measured at once do not disturb each other's draws.
        Nd4j.getRandom().setSeed(seed);
        INDArray noise = Nd4j.randn(DataType.FLOAT, n, generator.layerInputSize(0));
        return generator.output(noise).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** Up to {@link #ROWS} rows of a split's features (its first minibatches). */
    private static double[][] rows(JavaRDD<DataSet> split) {
        List<double[]> out = new ArrayList<>();
        for (DataSet ds : TestSample.firstMinibatches(split, ROWS)) {
            for (double[] r : ds.getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix()) {
                out.add(r);
            }
        }
        return out.subList(0, Math.min(out.size(), ROWS)).toArray(double[][]::new);
    }
}
