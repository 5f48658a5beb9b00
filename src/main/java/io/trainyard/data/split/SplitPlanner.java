package io.trainyard.data.split;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of the exact stratified split, without Spark. Every row carries a 64-bit hash of its split key and
 * the seed; within a stratum the rows are ranked by hash and the lowest {@code round(n * train)} go to train, the
 * next up to {@code round(n * (train + validation))} to validation, the rest to test. Ranks are found without a sort:
 * a histogram over the top 16 bits of the hash locates the bucket holding each cut, and only the hashes of that one
 * bucket are needed to place the cut exactly.
 */
public final class SplitPlanner {
    public static final int BUCKET_BITS = 16;

    private SplitPlanner() {}

    /** The histogram bucket of a hash; buckets are ordered like the signed hashes they hold. */
    public static int bucketOf(long hash) {
        return (int) ((hash >> (64 - BUCKET_BITS)) + (1 << (BUCKET_BITS - 1)));
    }

    /** The number of rows of a stratum of {@code n} rows below the train cut and below the validation cut. */
    public static long[] cutRanks(long n, double train, double validation) {
        long trainCut = Math.round(n * train);
        long validationCut = Math.round(n * (train + validation));
        return new long[] {trainCut, Math.max(trainCut, Math.min(n, validationCut))};
    }

    /** Whether a stratum of n rows gets at least one row in each split. */
    public static boolean fitsEverySplit(long n, double train, double validation) {
        long[] cuts = cutRanks(n, train, validation);
        return cuts[0] >= 1 && cuts[1] - cuts[0] >= 1 && n - cuts[1] >= 1;
    }

    /** The smallest stratum size that gets a row in every split (for messages). */
    public static long smallestSplittable(double train, double validation) {
        for (long n = 3; n < 1_000_000; n++) {
            if (fitsEverySplit(n, train, validation)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no stratum size fits train=" + train + " validation=" + validation);
    }

    /**
     * Where a cut of rank {@code rank} (rows below it) falls in a stratum's histogram.
     *
     * @param buckets bucket numbers in increasing order
     * @param counts  rows per bucket, aligned with {@code buckets}
     * @return the bucket holding the first row at or above the cut, and the rows in earlier buckets
     */
    public static BucketCut locate(int[] buckets, long[] counts, long rank) {
        long before = 0;
        for (int i = 0; i < buckets.length; i++) {
            if (rank < before + counts[i]) {
                return new BucketCut(buckets[i], before);
            }
            before += counts[i];
        }
        throw new IllegalArgumentException("rank " + rank + " is past the last row (" + before + ")");
    }

    /**
     * Places a cut exactly, given the sorted hashes of the bucket that holds it. When rows with one hash straddle the
     * cut (duplicate keys), they all go to the side that keeps the count nearest the target.
     *
     * @param sortedHashes the hashes in the cut's bucket, ascending
     * @param rowsBefore   rows in earlier buckets
     * @param rank         rows wanted below the cut
     * @return the threshold and the number of rows it puts below the cut
     */
    public static PlacedCut place(long[] sortedHashes, long rowsBefore, long rank) {
        int r = Math.toIntExact(rank - rowsBefore);
        long v = sortedHashes[r];
        int lo = r;
        while (lo > 0 && sortedHashes[lo - 1] == v) {
            lo--;
        }
        int hi = r + 1;
        while (hi < sortedHashes.length && sortedHashes[hi] == v) {
            hi++;
        }
        if (r - lo <= hi - r) {
            return new PlacedCut(new Threshold(v, false), rowsBefore + lo);
        }
        return new PlacedCut(new Threshold(v, true), rowsBefore + hi);
    }

    /** The strata that are too small to appear in every split, with their sizes, for the refusal message. */
    public static List<String> tooSmall(List<String> strata, List<Long> sizes, double train, double validation) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < strata.size(); i++) {
            if (!fitsEverySplit(sizes.get(i), train, validation)) {
                out.add("'" + strata.get(i) + "' (" + sizes.get(i) + " rows)");
            }
        }
        return out;
    }

    /**
     * The smallest split-key group placed whole before the cuts: a group this large, left to the ranking, could land
     * on a cut and move a split's count by half its size. At most 1,000 groups per stratum reach it.
     */
    public static long largeGroup(long n) {
        return Math.max(2, (n + 999) / 1000);
    }

    /**
     * Places large split-key groups whole, largest first, each where it leaves its split least full (so groups spread
     * over the splits like rows do) among the splits it fits; the other rows then fill each split to its target.
     *
     * @param n      rows of the stratum
     * @param groups sizes of its large groups, largest first
     * @return the split of each group, and the rows the other rows must bring to each split
     */
    public static GroupPlacement placeGroups(long n, double train, double validation, long[] groups) {
        long[] cuts = cutRanks(n, train, validation);
        long[] target = {cuts[0], cuts[1] - cuts[0], n - cuts[1]};
        long[] held = new long[3];
        int[] split = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            int best = -1;
            boolean bestFits = false;
            double bestFill = Double.MAX_VALUE;
            for (int s = 0; s < 3; s++) {
                boolean fits = held[s] + groups[g] <= target[s];
                double fill = (held[s] + groups[g]) / (double) Math.max(1, target[s]);
                if ((fits && !bestFits) || (fits == bestFits && fill < bestFill)) {
                    best = s;
                    bestFits = fits;
                    bestFill = fill;
                }
            }
            split[g] = best;
            held[best] += groups[g];
        }
        long rest = n - java.util.Arrays.stream(groups).sum();
        long[] fill = new long[3];
        for (int s = 0; s < 3; s++) {
            fill[s] = Math.max(0, target[s] - held[s]);
        }
        // A group that fitted nowhere overfills its split: the others give up rows, the largest gap first.
        long excess = java.util.Arrays.stream(fill).sum() - rest;
        while (excess > 0) {
            int s = fill[0] >= fill[1] && fill[0] >= fill[2] ? 0 : fill[1] >= fill[2] ? 1 : 2;
            long take = Math.min(excess, fill[s]);
            fill[s] -= take;
            excess -= take;
        }
        return new GroupPlacement(
                split, fill, new SplitCounts(held[0] + fill[0], held[1] + fill[1], held[2] + fill[2]));
    }

    /**
     * Where large groups go and what the other rows must fill.
     *
     * @param groupSplit the split of each group, aligned with the sizes given
     * @param fill       rows the ranking puts in train, validation and test
     * @param counts     the stratum's rows per split, groups and ranking together
     */
    public record GroupPlacement(int[] groupSplit, long[] fill, SplitCounts counts) {}

    /** The bucket that holds a cut and the number of rows in the buckets before it. */
    public record BucketCut(int bucket, long rowsBefore) {}

    /** An exact cut and how many rows of the stratum it puts below itself. */
    public record PlacedCut(Threshold threshold, long rowsBelow) {}
}
