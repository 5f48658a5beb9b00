package io.trainyard.spec;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds from the spec's one seed, so every consumer (split, row order, each worker, each trial)
 * gets its own stream and none depends on another's use of randomness.
 */
public final class Seeds {
    private Seeds() {}

    /** A seed for {@code purpose}, derived from {@code seed} with SplitMix64 finalisation. */
    public static long derive(long seed, String purpose) {
        long h = seed;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xff));
        }
        return mix(h);
    }

    public static long derive(long seed, String purpose, long index) {
        return mix(derive(seed, purpose) ^ mix(index + 0x9E3779B97F4A7C15L));
    }

    /** SplitMix64's finaliser: a bijection on longs that spreads every input bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
