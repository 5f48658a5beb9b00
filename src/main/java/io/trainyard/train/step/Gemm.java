package io.trainyard.train.step;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The three matrix products of a dense layer, called on OpenBLAS directly (the library ND4J itself multiplies with),
 * over the layout the lean step keeps: activations, pre-activations and deltas row-major ('c', one example a row),
 * weights and their gradients column-major ('f', DL4J's layout for a dense layer's {@code [nIn, nOut]} weights).
 *
 * <p>Why not ND4J's {@code mmul}: each ND4J call costs tens of microseconds of bookkeeping before the product; at
 * batch 256 and 64 units a product itself takes about as long.
 */
final class Gemm {
    private static final int COL_MAJOR = openblas_nolapack.CblasColMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    private Gemm() {}

    /** {@code z = x w}: x {@code [rows, in]} row-major, w {@code [in, out]} column-major, z {@code [rows, out]} row-major. */
    static void forward(NativeView x, NativeView w, NativeView z, int rows, int in, int out) {
        // Row-major z is column-major z^T = w^T x^T.
        openblas_nolapack.cblas_sgemm(
                COL_MAJOR, TRANS, NO_TRANS, out, rows, in, 1f, w.pointer(), in, x.pointer(), in, 0f, z.pointer(), out);
    }

    /** {@code dw = x^T delta}: x {@code [rows, in]} and delta {@code [rows, out]} row-major, dw column-major. */
    static void weightGradient(NativeView x, NativeView delta, NativeView dw, int rows, int in, int out) {
        openblas_nolapack.cblas_sgemm(
                COL_MAJOR,
                NO_TRANS,
                TRANS,
                in,
                out,
                rows,
                1f,
                x.pointer(),
                in,
                delta.pointer(),
                out,
                0f,
                dw.pointer(),
                in);
    }

    /** {@code epsilon = delta w^T}: delta {@code [rows, out]} row-major, w column-major, epsilon {@code [rows, in]} row-major. */
    static void inputGradient(NativeView delta, NativeView w, NativeView epsilon, int rows, int in, int out) {
        // Row-major epsilon is column-major epsilon^T = w delta^T.
        openblas_nolapack.cblas_sgemm(
                COL_MAJOR,
                NO_TRANS,
                NO_TRANS,
                in,
                rows,
                out,
                1f,
                w.pointer(),
                in,
                delta.pointer(),
                out,
                0f,
                epsilon.pointer(),
                in);
    }
}
