package io.trainyard.train.step;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memory of a float {@link INDArray} as OpenBLAS and a Java loop see it: a pointer to its first element and a
 * buffer over its elements, both over the array's own off-heap memory (no copy), so what a loop or a gemm writes is
 * what ND4J reads next.
 *
 * <p>Only for arrays whose elements are contiguous in their own order ({@link #isDense}): a view of a network's flat
 * parameters is, a column of a matrix is not.
 */
record NativeView(INDArray array, FloatPointer pointer, FloatBuffer buffer) {
    static NativeView of(INDArray array) {
        if (!isDense(array)) {
            throw new IllegalArgumentException("not a dense float array: " + array.shapeInfoToString());
        }
        int length = Math.toIntExact(array.length());
        // addressPointer() already points at the view's first element (its offset into the flat buffer included).
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.capacity(length);
        return new NativeView(array, pointer, pointer.asBuffer());
    }

    /** Whether {@code array} is float and its elements are contiguous, first to last, in its own ordering. */
    static boolean isDense(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.rank() != 2) {
            return false;
        }
        long rows = array.size(0);
        long columns = array.size(1);
        boolean c = array.ordering() == 'c'
                && (columns == 1 || array.stride(1) == 1)
                && (rows == 1 || array.stride(0) == columns);
        boolean f = array.ordering() == 'f'
                && (rows == 1 || array.stride(0) == 1)
                && (columns == 1 || array.stride(1) == rows);
        return c || f;
    }

    /** {@code array} itself when it is a dense 'c'-ordered float matrix, else a dense 'c' copy. */
    static INDArray rowMajor(INDArray array) {
        return array.ordering() == 'c' && isDense(array) ? array : array.dup('c');
    }
}
