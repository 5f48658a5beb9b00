package io.trainyard.spec.check;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Argument checks for spec records; every message names the key and the value it got. */
public final class Checks {
    private Checks() {}

    public static int positive(String key, int value) {
        if (value <= 0) {
            throw new SpecException(key + " must be > 0, got " + value);
        }
        return value;
    }

    public static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new SpecException(key + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** {@code value} within [min, max]: the upper bound keeps arithmetic on it (a count plus one) from overflowing. */
    public static int between(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new SpecException(key + " must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    public static double positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new SpecException(key + " must be > 0, got " + value);
        }
        return value;
    }

    public static double nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new SpecException(key + " must be >= 0, got " + value);
        }
        return value;
    }

    /** A share strictly between 0 and 1. */
    public static double openUnit(String key, double value) {
        if (!(value > 0 && value < 1)) {
            throw new SpecException(key + " must be in (0, 1), got " + value);
        }
        return value;
    }

    /** A probability-like value in [0, 1). */
    public static double halfOpenUnit(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new SpecException(key + " must be in [0, 1), got " + value);
        }
        return value;
    }

    public static String nonBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new SpecException(key + " must not be empty");
        }
        return value;
    }

    public static List<String> noDuplicates(String key, List<String> values) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new SpecException(key + " has an empty entry");
            }
            if (!seen.add(v)) {
                throw new SpecException(key + " lists '" + v + "' twice");
            }
        }
        return List.copyOf(values);
    }
}
