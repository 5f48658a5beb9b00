package io.trainyard.data.split;

import io.trainyard.data.source.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where every stratum's two cuts fall, and which large groups are placed whole: the driver's half of the exact
 * stratified split ({@link SplitPlanner} holds the arithmetic). It reads rows only through {@link RowHashes}, so a
 * Spark frame ({@link SplitAssigner}) and the columnar blocks of preparation get one and the same split.
 */
public final class StratumCuts implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A stratum's hash bucket. A class, not a record: task results travel through Kryo, which cannot build records.
     */
    public static final class BucketKey implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String stratum;
        private final int bucket;

        public BucketKey(String stratum, int bucket) {
            this.stratum = stratum;
            this.bucket = bucket;
        }

        public String stratum() {
            return stratum;
        }

        public int bucket() {
            return bucket;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BucketKey k && k.bucket == bucket && k.stratum.equals(stratum);
        }

        @Override
        public int hashCode() {
            return stratum.hashCode() * 31 + bucket;
        }
    }

    /** What finding the cuts reads of the rows: a histogram first, then only the few buckets that matter. */
    public interface RowHashes {
        /** Rows per hash bucket ({@link SplitPlanner#bucketOf}) of each stratum. */
        Map<String, TreeMap<Integer, Long>> histograms();

        /** Per stratum, (hash, rows) of every hash held by at least the given number of rows in its bucket. */
        Map<String, List<long[]>> largeGroups(Map<BucketKey, Long> leastRows);

        /** The hash of every row in the given buckets, a hash once per row. */
        Map<BucketKey, List<Long>> hashesIn(Set<BucketKey> buckets);
    }

    /**
     * One stratum's placement: a row is in train below {@code first}, in validation below {@code second}, in test
     * otherwise, unless its hash is a large group's, placed whole in {@code fixed}.
     */
    public record Cut(Threshold first, Threshold second, Map<Long, Integer> fixed) implements Serializable {
        public int splitOf(long hash) {
            Integer whole = fixed.isEmpty() ? null : fixed.get(hash);
            if (whole != null) {
                return whole;
            }
            return first.below(hash)
                    ? SplitAssigner.TRAIN
                    : second.below(hash) ? SplitAssigner.VALIDATION : SplitAssigner.TEST;
        }
    }

    private final Map<String, Cut> cuts;
    /** Driver-side only: not needed where the cuts are applied. */
    private final transient Map<String, SplitCounts> counts;

    private StratumCuts(Map<String, Cut> cuts, Map<String, SplitCounts> counts) {
        this.cuts = cuts;
        this.counts = counts;
    }

    /** The cut of every stratum, in stratum order. */
    public Map<String, Cut> cuts() {
        return cuts;
    }

    /** Rows per split of every stratum. */
    public Map<String, SplitCounts> counts() {
        return counts;
    }

    /**
     * @param stratumLabel how a stratum is named in messages ("class", or "" when the split is not stratified)
     * @param wholeGroups  whether large groups of one hash (one split key, or duplicated rows) are placed whole before
     *                     the cuts; off when the hash is an order (split.order-by), which placement must not break
     */
    public static StratumCuts find(
            RowHashes rows, double train, double validation, String stratumLabel, boolean wholeGroups) {
        Map<String, TreeMap<Integer, Long>> histograms = new TreeMap<>(rows.histograms());
        refuseTooSmall(histograms, train, validation, stratumLabel);
        Map<String, List<long[]>> groups = wholeGroups ? largeGroups(rows, histograms) : Map.of();

        // Large groups first; then where each stratum's two cuts fall among the other rows, and which buckets'
        // hashes are needed to place them exactly.
        Map<String, Plan> plans = new LinkedHashMap<>();
        Set<BucketKey> boundaries = new LinkedHashSet<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            Plan plan = Plan.of(e.getValue(), groups.getOrDefault(e.getKey(), List.of()), train, validation);
            plans.put(e.getKey(), plan);
            for (SplitPlanner.BucketCut cut : plan.cuts()) {
                if (cut != null) {
                    boundaries.add(new BucketKey(e.getKey(), cut.bucket()));
                }
            }
        }
        Map<BucketKey, List<Long>> boundaryHashes = boundaries.isEmpty() ? Map.of() : rows.hashesIn(boundaries);

        Map<String, Cut> cuts = new LinkedHashMap<>();
        Map<String, SplitCounts> counts = new LinkedHashMap<>();
        for (Map.Entry<String, Plan> e : plans.entrySet()) {
            String stratum = e.getKey();
            Plan plan = e.getValue();
            Threshold[] thresholds = new Threshold[2];
            long[] below = new long[2];
            for (int c = 0; c < 2; c++) {
                SplitPlanner.BucketCut cut = plan.cuts()[c];
                if (cut == null) {
                    // The cut is past every ranked row: all of them fall below it.
                    thresholds[c] = new Threshold(Long.MAX_VALUE, true);
                    below[c] = plan.ranked();
                    continue;
                }
                long[] hashes = boundaryHashes.get(new BucketKey(stratum, cut.bucket())).stream()
                        .mapToLong(Long::longValue)
                        .filter(h -> !plan.grouped().contains(h))
                        .sorted()
                        .toArray();
                SplitPlanner.PlacedCut placed = SplitPlanner.place(hashes, cut.rowsBefore(), plan.ranks()[c]);
                thresholds[c] = placed.threshold();
                below[c] = placed.rowsBelow();
            }
            SplitCounts stratumCounts = new SplitCounts(
                    plan.held()[0] + below[0],
                    plan.held()[1] + below[1] - below[0],
                    plan.held()[2] + plan.ranked() - below[1]);
            if (stratumCounts.train() < 1 || stratumCounts.validation() < 1 || stratumCounts.test() < 1) {
                throw new DataException("split: " + describe(stratumLabel, stratum) + " has " + plan.n() + " rows but "
                        + "its split-key groups (" + plan.describeGroups() + ") leave no placement with a row in "
                        + "train, validation and test; check split.key");
            }
            counts.put(stratum, stratumCounts);
            Map<Long, Integer> fixed = new LinkedHashMap<>();
            for (int g = 0; g < plan.groups().size(); g++) {
                fixed.put(plan.groups().get(g)[0], plan.groupSplit()[g]);
            }
            cuts.put(stratum, new Cut(thresholds[0], thresholds[1], fixed));
        }
        return new StratumCuts(cuts, counts);
    }

    /**
     * The large groups of each stratum as (hash, rows), largest first. Only buckets holding at least a large group's
     * rows are looked into, so on data without large groups this reads nothing beyond the histogram.
     */
    private static Map<String, List<long[]>> largeGroups(
            RowHashes rows, Map<String, TreeMap<Integer, Long>> histograms) {
        Map<BucketKey, Long> flagged = new LinkedHashMap<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            long least = SplitPlanner.largeGroup(
                    e.getValue().values().stream().mapToLong(Long::longValue).sum());
            e.getValue().forEach((b, count) -> {
                if (count >= least) {
                    flagged.put(new BucketKey(e.getKey(), b), least);
                }
            });
        }
        if (flagged.isEmpty()) {
            return Map.of();
        }
        Map<String, List<long[]>> out = new TreeMap<>();
        rows.largeGroups(flagged).forEach((stratum, found) -> out.put(stratum, new ArrayList<>(found)));
        out.values().forEach(l -> l.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0])));
        return out;
    }

    /**
     * One stratum's placement: its large groups and their splits, and the two cuts among the other rows.
     *
     * @param groups  (hash, rows) of each large group, largest first
     * @param held    rows the groups put in train, validation and test
     * @param ranked  the other rows, which the cuts divide
     * @param ranks   ranked rows wanted below each cut
     * @param cuts    the bucket holding each cut, null for a cut past every ranked row
     */
    private record Plan(
            long n,
            List<long[]> groups,
            int[] groupSplit,
            Set<Long> grouped,
            long[] held,
            long ranked,
            long[] ranks,
            SplitPlanner.BucketCut[] cuts) {
        static Plan of(TreeMap<Integer, Long> histogram, List<long[]> groups, double train, double validation) {
            long n = histogram.values().stream().mapToLong(Long::longValue).sum();
            SplitPlanner.GroupPlacement placement = SplitPlanner.placeGroups(
                    n, train, validation, groups.stream().mapToLong(g -> g[1]).toArray());
            TreeMap<Integer, Long> rest = new TreeMap<>(histogram);
            long[] held = new long[3];
            Set<Long> grouped = new HashSet<>();
            for (int g = 0; g < groups.size(); g++) {
                long[] group = groups.get(g);
                rest.merge(SplitPlanner.bucketOf(group[0]), -group[1], Long::sum);
                held[placement.groupSplit()[g]] += group[1];
                grouped.add(group[0]);
            }
            rest.values().removeIf(c -> c == 0);
            int[] buckets = rest.keySet().stream().mapToInt(Integer::intValue).toArray();
            long[] counts = rest.values().stream().mapToLong(Long::longValue).toArray();
            long ranked = Arrays.stream(counts).sum();
            long[] ranks = {placement.fill()[0], placement.fill()[0] + placement.fill()[1]};
            SplitPlanner.BucketCut[] cuts = new SplitPlanner.BucketCut[2];
            for (int c = 0; c < 2; c++) {
                cuts[c] = ranks[c] < ranked ? SplitPlanner.locate(buckets, counts, ranks[c]) : null;
            }
            return new Plan(n, groups, placement.groupSplit(), grouped, held, ranked, ranks, cuts);
        }

        String describeGroups() {
            if (groups.isEmpty()) {
                return "none large";
            }
            List<String> sizes =
                    groups.stream().limit(3).map(g -> g[1] + " rows").toList();
            return "the largest " + String.join(", ", sizes) + (groups.size() > 3 ? ", ..." : "");
        }
    }

    private static void refuseTooSmall(
            Map<String, TreeMap<Integer, Long>> histograms, double train, double validation, String stratumLabel) {
        List<String> small = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Long>> e : histograms.entrySet()) {
            long n = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            if (!SplitPlanner.fitsEverySplit(n, train, validation)) {
                small.add(describe(stratumLabel, e.getKey()) + " has " + n + (n == 1 ? " row" : " rows"));
            }
        }
        if (!small.isEmpty()) {
            throw new DataException("split: too few rows to place at least one in each of train, validation and test ("
                    + String.join("; ", small) + "); each needs at least "
                    + SplitPlanner.smallestSplittable(train, validation) + " at these shares");
        }
    }

    static String describe(String stratumLabel, String stratum) {
        return stratumLabel.isEmpty() ? "the data" : stratumLabel + " '" + stratum + "'";
    }
}
