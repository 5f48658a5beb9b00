package io.trainyard.data.columnar;

import java.util.Arrays;

/**
 * Sorts row indices by a long key (signed, ascending), ties broken by a comparison of the rows, with one primitive
 * sort: each row's key, its low bits replaced by the row's index, is sorted as a long; the rare rows whose keys agree
 * above those bits are then put in order by the full key and the tie-break.
 */
final class OrderSort {
    /** Compares two rows of equal key. */
    interface TieBreak {
        int compare(int a, int b);
    }

    private OrderSort() {}

    static int[] indices(long[] first, TieBreak tie) {
        int n = first.length;
        int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)));
        long indexMask = (1L << indexBits) - 1;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (first[i] & ~indexMask) | i;
        }
        // Clearing low bits keeps the signed order of the first keys (up to ties in the cleared bits).
        Arrays.sort(keys);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) (keys[i] & indexMask);
        }
        for (int from = 0; from < n; ) {
            int to = from + 1;
            while (to < n && (keys[to] & ~indexMask) == (keys[from] & ~indexMask)) {
                to++;
            }
            if (to - from > 1) {
                insertionSort(out, from, to, first, tie);
            }
            from = to;
        }
        return out;
    }

    private static void insertionSort(int[] a, int from, int to, long[] first, TieBreak tie) {
        for (int i = from + 1; i < to; i++) {
            int x = a[i];
            int j = i - 1;
            while (j >= from && less(first, tie, x, a[j])) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static boolean less(long[] first, TieBreak tie, int x, int y) {
        return first[x] != first[y] ? first[x] < first[y] : tie.compare(x, y) < 0;
    }
}
