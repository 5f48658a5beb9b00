package io.trainyard.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The machine's single-precision matrix-multiply rate through ND4J: the ceiling for dense-network training. */
final class MatmulRate {
    private MatmulRate() {}

    /** FLOP/s of an n x n float matrix product, best of several timed repetitions after a warm-up. */
    static double measure(int n, int repetitions) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        a.mmuli(b, c);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            a.mmuli(b, c);
            Nd4j.getExecutioner().commit();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * n * n * n / best;
    }
}
