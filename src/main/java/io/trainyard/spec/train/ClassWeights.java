package io.trainyard.spec.train;

import io.trainyard.spec.check.SpecException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code train.class-weights}: how much each class's rows count in the training loss. {@code none}; {@code balanced}
 * (scikit-learn's rule, {@code n / (k * count)} over the train split's counts, so every class weighs as much in all
 * as the others); {@code sqrt} (the square root of balanced: a rare class counts more, but not as much as its rarity,
 * so its precision does not collapse); or explicit weights by class name, classes left out weighing 1.
 *
 * @param explicit weights by class name; empty unless {@code mode} is {@link Mode#EXPLICIT}
 */
public record ClassWeights(Mode mode, Map<String, Double> explicit) {
    /** What the key says. */
    public enum Mode {
        NONE,
        BALANCED,
        SQRT,
        EXPLICIT
    }

    public static final ClassWeights NONE = new ClassWeights(Mode.NONE, Map.of());

    public ClassWeights {
        explicit = Map.copyOf(explicit);
        for (Map.Entry<String, Double> e : explicit.entrySet()) {
            if (!(e.getValue() > 0) || e.getValue().isInfinite()) {
                throw new SpecException(
                        "train.class-weights." + e.getKey() + " must be a positive number, got " + e.getValue());
            }
        }
    }

    public boolean enabled() {
        return mode != Mode.NONE;
    }

    /**
     * One weight per class, in class order, for {@code trainCounts} rows of each in the train split; refuses a class
     * named in the explicit weights that the label does not have.
     */
    public double[] resolve(List<String> classes, long[] trainCounts) {
        double[] w = new double[classes.size()];
        long n = 0;
        for (long c : trainCounts) {
            n += c;
        }
        for (String named : explicit.keySet()) {
            if (!classes.contains(named)) {
                throw new SpecException("train.class-weights names the class '" + named + "', which the label does not "
                        + "have (classes: " + String.join(", ", classes) + ")");
            }
        }
        for (int c = 0; c < w.length; c++) {
            w[c] = switch (mode) {
                case NONE -> 1.0;
                case BALANCED -> trainCounts[c] == 0 ? 1.0 : (double) n / (classes.size() * trainCounts[c]);
                case SQRT -> trainCounts[c] == 0 ? 1.0 : Math.sqrt((double) n / (classes.size() * trainCounts[c]));
                case EXPLICIT -> explicit.getOrDefault(classes.get(c), 1.0);
            };
        }
        return w;
    }

    /** Reads the key: a string ({@code none}, {@code balanced}, {@code sqrt}) or an object of class names to weights. */
    public static ClassWeights read(com.typesafe.config.Config config, String key) {
        var value = config.getValue(key);
        if (value.valueType() == com.typesafe.config.ConfigValueType.OBJECT) {
            Map<String, Double> weights = new LinkedHashMap<>();
            com.typesafe.config.Config object = config.getConfig(key);
            for (String name : object.root().keySet()) {
                var v = object.root().get(name);
                if (v.valueType() != com.typesafe.config.ConfigValueType.NUMBER) {
                    throw new SpecException(key + "." + name + " must be a number, got "
                            + v.render(com.typesafe.config.ConfigRenderOptions.concise()));
                }
                weights.put(name, ((Number) v.unwrapped()).doubleValue());
            }
            if (weights.isEmpty()) {
                throw new SpecException(key + " = {} names no class; use none, balanced or {class = weight, ...}");
            }
            return new ClassWeights(Mode.EXPLICIT, weights);
        }
        String text = String.valueOf(value.unwrapped());
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            case "balanced" -> new ClassWeights(Mode.BALANCED, Map.of());
            case "sqrt" -> new ClassWeights(Mode.SQRT, Map.of());
            default ->
                throw new SpecException(
                        key + " must be none, balanced, sqrt or {class = weight, ...}, got '" + text + "'");
        };
    }
}
