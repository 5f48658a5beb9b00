package io.trainyard.sweep;

import io.trainyard.spec.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011; Optuna's default sampler, with Optuna's defaults). The
 * first {@code startup} trials are the random sampler's draws. After that, the trials observed are split at a
 * quantile of their loss into the good (the best tenth, at most 25) and the rest; each key gets a density over the
 * good trials' values, l, and one over the rest's, g; and the proposal is, key by key, the one of 24 draws from l
 * with the highest l(x)/g(x). Failed and diverged trials count among the rest, as the worst results.
 *
 * <p>Under successive halving or Hyperband a trial is observed at several budgets, and results at different budgets
 * do not compare; the densities are fitted on the largest budget with at least {@code startup} observations (BOHB's
 * rule, Falkner et al. 2018). Each proposal draws from a random stream of its own (the seed and the trial's id), so
 * the trials of one batch, proposed from the same history, differ.
 */
public final class TpeSampler implements Sampler {
    /** Draws from l scored per proposal: Optuna's {@code n_ei_candidates}. */
    static final int CANDIDATES = 24;

    private final SweepSpace space;
    private final long seed;
    private final Mode mode;
    private final int startup;

    public TpeSampler(SweepSpace space, long seed, Mode mode, int startup) {
        this.space = space;
        this.seed = seed;
        this.mode = mode;
        this.startup = Math.max(1, startup);
    }

    @Override
    public boolean adaptive() {
        return true;
    }

    @Override
    public Map<String, Object> propose(int trial, List<Observation> history) {
        List<Observation> observed = atLargestBudget(history);
        if (observed.isEmpty()) {
            return space.sample(seed, trial);
        }
        // Ties keep the planned order: the split never depends on timing.
        List<Observation> byLoss = observed.stream()
                .sorted(Comparator.comparingDouble(o -> o.loss(mode)))
                .toList();
        int good = goodCount(byLoss.size());
        List<Observation> below = byLoss.subList(0, good);
        List<Observation> above = byLoss.subList(good, byLoss.size());
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "tpe-trial", trial));
        Map<String, Object> out = new LinkedHashMap<>();
        space.domains().forEach((key, domain) -> out.put(key, choose(key, domain, below, above, random)));
        return out;
    }

    /** How many of {@code n} observations count as good: Optuna's {@code min(ceil(0.1 n), 25)}, at least one. */
    static int goodCount(int n) {
        return Math.max(1, Math.min((int) Math.ceil(0.1 * n), 25));
    }

    /** The observations at the largest epoch budget that has at least {@code startup}; none before that. */
    private List<Observation> atLargestBudget(List<Observation> history) {
        TreeMap<Integer, List<Observation>> byBudget = new TreeMap<>();
        for (Observation o : history) {
            byBudget.computeIfAbsent(o.epochs(), b -> new ArrayList<>()).add(o);
        }
        for (List<Observation> observed : byBudget.descendingMap().values()) {
            if (observed.size() >= startup) {
                return observed;
            }
        }
        return List.of();
    }

    private static Object choose(
            String key, Domain domain, List<Observation> below, List<Observation> above, SplittableRandom random) {
        if (domain instanceof Domain.Choice choice) {
            return chooseCategory(key, choice, below, above, random);
        } else if (domain instanceof Domain.Uniform u) {
            return chooseReal(values(key, below, false), values(key, above, false), u.lo(), u.hi(), random);
        } else if (domain instanceof Domain.LogUniform u) {
            double lo = Math.log(u.lo());
            double hi = Math.log(u.hi());
            return Math.exp(chooseReal(values(key, below, true), values(key, above, true), lo, hi, random));
        } else if (domain instanceof Domain.IntRange r) {
            // An integer is a real on [lo - 1/2, hi + 1/2] rounded, so every value has an equal share of the line.
            double x = chooseReal(
                    values(key, below, false), values(key, above, false), r.lo() - 0.5, r.hi() + 0.5, random);
            return (int) Math.max(r.lo(), Math.min(r.hi(), Math.round(x)));
        }
        return ((Domain.Fixed) domain).value();
    }

    private static double chooseReal(double[] below, double[] above, double lo, double hi, SplittableRandom random) {
        ParzenEstimator l = new ParzenEstimator(below, lo, hi);
        ParzenEstimator g = new ParzenEstimator(above, lo, hi);
        return bestOf(() -> l.sample(random), x -> l.logDensity(x) - g.logDensity(x));
    }

    /** Of {@link #CANDIDATES} draws, the one scoring highest (log l - log g); the first drawn wins a tie. */
    private static <T> T bestOf(Supplier<T> draw, ToDoubleFunction<T> score) {
        T best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < CANDIDATES; i++) {
            T x = draw.get();
            double s = score.applyAsDouble(x);
            if (best == null || s > bestScore) {
                best = x;
                bestScore = s;
            }
        }
        return best;
    }

    /** A choice's value (a value may be a list, layer widths, and compares by equality). */
    private static Object chooseCategory(
            String key,
            Domain.Choice choice,
            List<Observation> below,
            List<Observation> above,
            SplittableRandom random) {
        List<Object> values = choice.values();
        double[] l = categoryWeights(key, values, below);
        double[] g = categoryWeights(key, values, above);
        return values.get(bestOf(() -> drawIndex(l, random), c -> Math.log(l[c]) - Math.log(g[c])));
    }

    /**
     * Optuna's categorical Parzen estimator: each observation a kernel with its value at weight 1 and every value at
     * 1/(n+1) (normalised), plus a uniform prior kernel, mixed with equal weights.
     */
    private static double[] categoryWeights(String key, List<Object> values, List<Observation> observed) {
        int k = values.size();
        int n = observed.size();
        double smoothing = 1.0 / (n + 1);
        double[] p = new double[k];
        Arrays.fill(p, 1.0 / k);
        for (Observation o : observed) {
            int at = values.indexOf(o.params().get(key));
            double norm = 1 + k * smoothing;
            for (int c = 0; c < k; c++) {
                p[c] += ((c == at ? 1 : 0) + smoothing) / norm;
            }
        }
        for (int c = 0; c < k; c++) {
            p[c] /= n + 1;
        }
        return p;
    }

    private static int drawIndex(double[] p, SplittableRandom random) {
        double u = random.nextDouble();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            if (u < sum) {
                return i;
            }
        }
        return p.length - 1;
    }

    /** The observations' values of {@code key} as reals, their logarithms when {@code log}. */
    private static double[] values(String key, List<Observation> observed, boolean log) {
        return observed.stream()
                .mapToDouble(o -> {
                    double v = ((Number) o.params().get(key)).doubleValue();
                    return log ? Math.log(v) : v;
                })
                .toArray();
    }
}
