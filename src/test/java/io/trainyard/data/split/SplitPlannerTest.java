package io.trainyard.data.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SplitPlannerTest {
    @Test
    void cutRanksRoundEachCumulativeShare() {
        assertArrayEquals(new long[] {70, 85}, SplitPlanner.cutRanks(100, 0.70, 0.15));
        assertArrayEquals(new long[] {7, 9}, SplitPlanner.cutRanks(10, 0.70, 0.15));
        assertArrayEquals(new long[] {700_000, 850_000}, SplitPlanner.cutRanks(1_000_000, 0.70, 0.15));
    }

    @Test
    void everySplitShareIsWithinOneRowOfItsTarget() {
        for (long n = 7; n < 2000; n++) {
            long[] cuts = SplitPlanner.cutRanks(n, 0.70, 0.15);
            assertTrue(Math.abs(cuts[0] - 0.70 * n) <= 1, "train at n=" + n);
            assertTrue(Math.abs(cuts[1] - cuts[0] - 0.15 * n) <= 1, "validation at n=" + n);
            assertTrue(Math.abs(n - cuts[1] - 0.15 * n) <= 1, "test at n=" + n);
        }
    }

    @Test
    void rejectsClassWithFewerRowsThanSplits() {
        assertFalse(SplitPlanner.fitsEverySplit(2, 0.70, 0.15));
        assertFalse(SplitPlanner.fitsEverySplit(3, 0.70, 0.15));
        assertEquals(
                List.of("'rare' (3 rows)"),
                SplitPlanner.tooSmall(List.of("common", "rare"), List.of(1000L, 3L), 0.70, 0.15));
        assertEquals(6, SplitPlanner.smallestSplittable(0.70, 0.15));
        assertTrue(SplitPlanner.fitsEverySplit(6, 0.70, 0.15));
        assertFalse(SplitPlanner.fitsEverySplit(5, 0.70, 0.15));
    }

    @Test
    void bucketsFollowSignedHashOrder() {
        assertEquals(0, SplitPlanner.bucketOf(Long.MIN_VALUE));
        assertEquals((1 << SplitPlanner.BUCKET_BITS) - 1, SplitPlanner.bucketOf(Long.MAX_VALUE));
        assertTrue(SplitPlanner.bucketOf(-1L) < SplitPlanner.bucketOf(0L));
    }

    @Test
    void placedCutsPutExactlyTheTargetRowsBelowWhenHashesAreDistinct() {
        SplittableRandom r = new SplittableRandom(3);
        long[] hashes = r.longs(50_000).toArray();
        long[] sorted = hashes.clone();
        Arrays.sort(sorted);
        TreeMap<Integer, Long> histogram = new TreeMap<>();
        for (long h : hashes) {
            histogram.merge(SplitPlanner.bucketOf(h), 1L, Long::sum);
        }
        int[] buckets = histogram.keySet().stream().mapToInt(Integer::intValue).toArray();
        long[] counts = histogram.values().stream().mapToLong(Long::longValue).toArray();
        for (long rank : SplitPlanner.cutRanks(hashes.length, 0.70, 0.15)) {
            SplitPlanner.BucketCut cut = SplitPlanner.locate(buckets, counts, rank);
            long[] inBucket = Arrays.stream(sorted)
                    .filter(h -> SplitPlanner.bucketOf(h) == cut.bucket())
                    .toArray();
            SplitPlanner.PlacedCut placed = SplitPlanner.place(inBucket, cut.rowsBefore(), rank);
            assertEquals(rank, placed.rowsBelow());
            long below = Arrays.stream(hashes)
                    .filter(h -> placed.threshold().below(h))
                    .count();
            assertEquals(rank, below);
        }
    }

    @Test
    void duplicateHashesGoToTheSideNearestTheTarget() {
        long[] bucket = {1, 2, 5, 5, 5, 5, 9};
        // Rank 3 falls in the middle of the run of 5s (indices 2..5): below the run keeps 2 rows, above keeps 6.
        SplitPlanner.PlacedCut low = SplitPlanner.place(bucket, 0, 3);
        assertEquals(2, low.rowsBelow());
        assertEquals(new Threshold(5, false), low.threshold());
        SplitPlanner.PlacedCut high = SplitPlanner.place(bucket, 0, 5);
        assertEquals(6, high.rowsBelow());
        assertEquals(new Threshold(5, true), high.threshold());
        assertTrue(high.threshold().below(5));
        assertFalse(low.threshold().below(5));
    }

    @Test
    void aGroupOf40PercentGoesWholeToTheSplitItFitsAndTheRestFillEachTarget() {
        // 251 rows, one group of 100: targets 176 / 37 / 38; the group fits only in train.
        SplitPlanner.GroupPlacement p = SplitPlanner.placeGroups(251, 0.70, 0.15, new long[] {100});
        assertArrayEquals(new int[] {0}, p.groupSplit());
        assertArrayEquals(new long[] {76, 37, 38}, p.fill());
        assertEquals(new SplitCounts(176, 37, 38), p.counts());
    }

    @Test
    void manyGroupsSpreadOverTheSplitsLikeRowsDo() {
        long[] groups = new long[60];
        Arrays.fill(groups, 10);
        SplitPlanner.GroupPlacement p = SplitPlanner.placeGroups(1000, 0.70, 0.15, groups);
        long[] held = new long[3];
        for (int g = 0; g < groups.length; g++) {
            held[p.groupSplit()[g]] += groups[g];
        }
        // 600 rows in groups, placed in proportion to 700 / 150 / 150 (not all in train).
        assertEquals(420, held[0], 10);
        assertEquals(90, held[1], 10);
        assertEquals(new SplitCounts(700, 150, 150), p.counts());
        assertEquals(400, Arrays.stream(p.fill()).sum());
    }

    @Test
    void aGroupTooLargeForAnySplitOverfillsOneAndTheOthersShrink() {
        // 10 rows, one group of 8: train's target is 7, so it overflows; 2 rows remain for validation and test.
        SplitPlanner.GroupPlacement p = SplitPlanner.placeGroups(10, 0.70, 0.15, new long[] {8});
        assertEquals(new SplitCounts(8, 1, 1), p.counts());
        // A group of 9 leaves one row: one split stays empty, which the assigner refuses.
        SplitPlanner.GroupPlacement q = SplitPlanner.placeGroups(10, 0.70, 0.15, new long[] {9});
        assertEquals(1, q.counts().validation() + q.counts().test());
    }

    @Test
    void largeGroupsAreAThousandthOfTheStratumAndAtLeastPairs() {
        assertEquals(2, SplitPlanner.largeGroup(251));
        assertEquals(2, SplitPlanner.largeGroup(2000));
        assertEquals(3, SplitPlanner.largeGroup(2001));
        assertEquals(1000, SplitPlanner.largeGroup(1_000_000));
    }
}
