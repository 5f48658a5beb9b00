package io.trainyard.train.averaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The engine's pure arithmetic: rounds per epoch, the mean of the workers' states, each round's minibatches. */
class AveragingArithmeticTest {
    @Test
    void roundsPerEpochFollowDl4jsSplitArithmetic() {
        // Fewer minibatches than one round takes (workers x frequency): one round.
        assertEquals(1, RoundRunner.roundsPerEpoch(15, 2, 10));
        assertEquals(1, RoundRunner.roundsPerEpoch(20, 2, 10));
        // Otherwise whole rounds, the remainder spread over them.
        assertEquals(2, RoundRunner.roundsPerEpoch(45, 2, 10));
        assertEquals(8_203, RoundRunner.roundsPerEpoch(164_063, 2, 10));
    }

    @Test
    void theMeanIsTakenElementByElementOverTheWorkersThatReturned() {
        List<AveragingRound.Result> results = List.of(
                new AveragingRound.Result(new float[] {1, 2, 3}, 0.5),
                new AveragingRound.Result(new float[] {3, 4, -3}, 0.7));
        assertArrayEquals(new float[] {2, 3, 0}, RoundRunner.mean(results));
        assertArrayEquals(
                new float[] {1, 2, 3}, RoundRunner.mean(List.of(new AveragingRound.Result(new float[] {1, 2, 3}, 0))));
    }

    @Test
    void theRoundsOfAnEpochTakeEveryMinibatchOfAPartitionExactlyOnceAndTheSameForASeed() {
        List<DataSet> partition = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            partition.add(new DataSet(Nd4j.scalar((float) i).reshape(1, 1), Nd4j.zeros(1, 1)));
        }
        int splits = 4;
        Set<Float> seen = new HashSet<>();
        int total = 0;
        for (int split = 0; split < splits; split++) {
            List<DataSet> mine = AveragingRound.pick(3, partition.iterator(), split, splits, 99L);
            List<DataSet> again = AveragingRound.pick(3, partition.iterator(), split, splits, 99L);
            assertEquals(mine, again, "split " + split + " differs for one seed");
            // Each round gets its share, within one of even (DL4J's balanced split).
            assertEquals(23.0 / splits, mine.size(), 1.0);
            for (DataSet d : mine) {
                seen.add(d.getFeatures().getFloat(0));
            }
            total += mine.size();
        }
        assertEquals(23, total);
        assertEquals(23, seen.size());
        // One round per epoch takes the whole partition in order.
        assertEquals(partition, AveragingRound.pick(0, partition.iterator(), 0, 1, 5L));
    }
}
