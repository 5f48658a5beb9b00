package io.trainyard.sweep;

import io.trainyard.spec.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The swept spec keys, in a fixed order, each with its domain. A random trial's values depend only on the sweep seed and
 * the trial id, so trials can be drawn in any order, on a resume, or in parallel, and come out the same.
 */
public record SweepSpace(Map<String, Domain> domains) {
    public SweepSpace {
        domains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(domains));
    }

    public Map<String, Object> sample(long seed, int trial) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "sweep-trial", trial));
        Map<String, Object> out = new LinkedHashMap<>();
        domains.forEach((key, domain) -> out.put(key, domain.sample(random)));
        return out;
    }

    /** Every combination of the domains' grid values, the first key varying slowest. */
    public List<Map<String, Object>> grid() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, Domain> e : domains.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object value : e.getValue().gridValues(e.getKey())) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
