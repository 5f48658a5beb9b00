package io.trainyard.run;

/**
 * Sums and products of sizes that stop at {@link Long#MAX_VALUE} instead of wrapping round: a memory estimate of a
 * network a spec made absurdly large must come out huge, never negative.
 */
public final class Saturating {
    private Saturating() {}

    public static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    public static long add(long a, long b, long c) {
        return add(add(a, b), c);
    }

    public static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
