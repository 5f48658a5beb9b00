package io.trainyard.sweep;

import io.trainyard.run.Saturating;
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

    /** How many combinations the grid has, computed without listing them; Long.MAX_VALUE when more. */
    public long gridSize() {
        long size = 1;
        for (Map.Entry<String, Domain> e : domains.entrySet()) {
            size = Saturating.multiply(size, e.getValue().gridSize(e.getKey()));
        }
        return size;
    }

    /**
     * The {@code index}-th combination of the domains' grid values, the first key varying slowest: decoded from the
     * index, so a grid of billions of points is never listed.
     */
    public Map<String, Object> gridPoint(long index) {
        List<Map.Entry<String, Domain>> keys = new ArrayList<>(domains.entrySet());
        Object[] values = new Object[keys.size()];
        long rest = index;
        for (int k = keys.size() - 1; k >= 0; k--) {
            long size = keys.get(k).getValue().gridSize(keys.get(k).getKey());
            values[k] = keys.get(k).getValue().gridValue(rest % size);
            rest /= size;
        }
        Map<String, Object> combination = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) {
            combination.put(keys.get(k).getKey(), values[k]);
        }
        return combination;
    }
}
