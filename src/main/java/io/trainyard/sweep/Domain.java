package io.trainyard.sweep;

import io.trainyard.spec.check.SpecException;
import java.util.List;
import java.util.SplittableRandom;

/** Where one swept spec key takes its values. Values are plain Java (numbers, strings, lists) as HOCON renders them. */
public sealed interface Domain {
    /** A value drawn with {@code random}. */
    Object sample(SplittableRandom random);

    /** How many values a grid takes from this domain; only finite domains have a grid. */
    long gridSize(String key);

    /** The {@code index}-th grid value, {@code 0 <= index < gridSize}: values are computed, never all listed. */
    Object gridValue(long index);

    /** The values at the domain's edges (every value of a finite one): what a spec check must accept. */
    List<Object> edges();

    /** One of the listed values (a value may itself be a list, e.g. layer widths). */
    record Choice(List<Object> values) implements Domain {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public Object sample(SplittableRandom random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public long gridSize(String key) {
            return values.size();
        }

        @Override
        public Object gridValue(long index) {
            return values.get((int) index);
        }

        @Override
        public List<Object> edges() {
            return values;
        }
    }

    /** A real interval: no grid, and its edges are its bounds. */
    sealed interface Continuous extends Domain {
        double lo();

        double hi();

        /** The domain's name in a spec ({@code uniform}, {@code loguniform}). */
        String word();

        @Override
        default long gridSize(String key) {
            throw new SpecException("sweep.space." + key + ": a grid needs finite domains (choice, int or a fixed "
                    + "value), got " + word());
        }

        @Override
        default Object gridValue(long index) {
            throw new IllegalStateException("a continuous domain has no grid");
        }

        @Override
        default List<Object> edges() {
            return List.of(lo(), hi());
        }
    }

    /** A real number, uniform on [lo, hi). */
    record Uniform(double lo, double hi) implements Continuous {
        @Override
        public Object sample(SplittableRandom random) {
            return lo + (hi - lo) * random.nextDouble();
        }

        @Override
        public String word() {
            return "uniform";
        }
    }

    /** A positive real number whose logarithm is uniform: learning rates, L2. */
    record LogUniform(double lo, double hi) implements Continuous {
        @Override
        public Object sample(SplittableRandom random) {
            return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * random.nextDouble());
        }

        @Override
        public String word() {
            return "loguniform";
        }
    }

    /** A whole number, uniform on [lo, hi] inclusive. */
    record IntRange(int lo, int hi) implements Domain {
        @Override
        public Object sample(SplittableRandom random) {
            // In long arithmetic: hi - lo + 1 overflows an int when the range spans more than half of it.
            return (int) (lo + random.nextLong((long) hi - lo + 1));
        }

        @Override
        public long gridSize(String key) {
            return (long) hi - lo + 1;
        }

        @Override
        public Object gridValue(long index) {
            return (int) (lo + index);
        }

        @Override
        public List<Object> edges() {
            return List.of(lo, hi);
        }
    }

    /** One value, the same in every trial. */
    record Fixed(Object value) implements Domain {
        @Override
        public Object sample(SplittableRandom random) {
            return value;
        }

        @Override
        public long gridSize(String key) {
            return 1;
        }

        @Override
        public Object gridValue(long index) {
            return value;
        }

        @Override
        public List<Object> edges() {
            return List.of(value);
        }
    }
}
