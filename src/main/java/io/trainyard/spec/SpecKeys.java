package io.trainyard.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.trainyard.spec.check.SpecException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The keys a job spec may set, and the refusal of any other with the nearest known key as a hint: a misspelt key
 * silently falling back to its default is the mistake a layered config invites.
 */
public final class SpecKeys {
    /** Keys without a default: a job must set them. */
    static final Set<String> REQUIRED_KEYS = Set.of("name", "data.path");

    private SpecKeys() {}

    /** Every key a job spec may set (the defaults' keys and the required ones). */
    public static Set<String> knownKeys() {
        Set<String> known = new TreeSet<>(REQUIRED_KEYS);
        for (Map.Entry<String, ConfigValue> e : SpecLoader.defaults().entrySet()) {
            known.add(e.getKey());
        }
        return known;
    }

    /** The nearest known key to a misspelt one, if it is near enough to be a likely typo; else null. */
    public static String suggest(String key) {
        return closest(key, knownKeys());
    }

    static void rejectUnknown(Config merged) {
        Set<String> known = knownKeys();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
            String key = e.getKey();
            // The sweep space names spec keys as its own keys; the sweep reader checks them.
            if (!known.contains(key)
                    && !key.startsWith(SpecLoader.SWEEP_SPACE + ".")
                    && !key.startsWith(SpecLoader.CLASS_WEIGHTS + ".")) {
                String hint = closest(key, known);
                unknown.add("'" + key + "' (" + e.getValue().origin().description() + ")"
                        + (hint == null ? "" : ", did you mean '" + hint + "'?"));
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(Comparator.naturalOrder());
            throw new SpecException("unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + unknown.stream().collect(Collectors.joining("; ")));
        }
    }

    /** The known key nearest to a misspelt one, if it is near enough to be a likely typo. */
    static String closest(String key, Set<String> known) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance.apply(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }
}
