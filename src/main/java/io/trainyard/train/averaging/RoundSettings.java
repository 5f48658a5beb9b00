package io.trainyard.train.averaging;

import io.trainyard.spec.train.StepKind;
import io.trainyard.spec.train.TrainSpec;

/**
 * What the engine's rounds need, whether they run as Spark jobs ({@link AveragingEngine}) or in the driver
 * ({@link InDriverRounds}).
 *
 * @param minibatches how many DataSet objects the training split holds (known from preparation; never counted)
 * @param seed        the seed DL4J's master would be built with ({@code rngSeed})
 * @param threads     ND4J threads each worker may use
 * @param step        what fits a minibatch ({@code train.step})
 */
public record RoundSettings(
        int workers, int frequency, int batchSize, long minibatches, long seed, int threads, StepKind step) {
    /** The settings of a spec's training (its averaging frequency resolved) on {@code workers} workers. */
    public static RoundSettings of(TrainSpec train, int workers, long minibatches, long seed, int threads) {
        return new RoundSettings(
                workers, train.averagingFrequency(), train.batchSize(), minibatches, seed, threads, train.step());
    }
}
