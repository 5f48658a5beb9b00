package io.trainyard.spec.train;

import io.trainyard.spec.check.Checks;

/**
 * How the network is trained (the {@code train.*} keys).
 *
 * @param workers            parallel training workers; 0 = Spark's default parallelism
 * @param averagingFrequency minibatches each worker fits between two parameter averagings; 0 = auto, resolved
 *                           from the network's size once it is built ({@code AveragingFrequency})
 * @param engine             which parameter-averaging implementation runs the rounds
 * @param step               what fits one minibatch: the lean step where it applies, or DL4J's fit
 * @param inDriver           on a local master, whether a training split that fits the driver trains without a
 *                           Spark job per round and per validation
 * @param classWeights       how much each class's rows count in the training loss
 * @param schedule           how the learning rate changes from epoch to epoch
 */
public record TrainSpec(
        int epochs,
        int batchSize,
        Optimizer optimizer,
        double learningRate,
        double momentum,
        double beta1,
        double beta2,
        int workers,
        int averagingFrequency,
        Engine engine,
        StepKind step,
        boolean inDriver,
        EarlyStoppingSpec earlyStopping,
        ClassWeights classWeights,
        LearningRateSchedule schedule) {
    public TrainSpec {
        Checks.positive("train.epochs", epochs);
        Checks.positive("train.batch-size", batchSize);
        Checks.positive("train.learning-rate", learningRate);
        Checks.halfOpenUnit("train.momentum", momentum);
        Checks.halfOpenUnit("train.beta1", beta1);
        Checks.halfOpenUnit("train.beta2", beta2);
        Checks.atLeast("train.workers", workers, 0);
        Checks.atLeast("train.averaging-frequency", averagingFrequency, 0);
    }

    /** The learning rate of an epoch (from 1) under the schedule; see {@link LearningRateSchedule#rate}. */
    public double learningRate(int epoch, java.util.List<Boolean> improved) {
        return schedule.rate(learningRate, epoch, epochs, improved);
    }

    /** Whether {@code train.averaging-frequency = auto}. */
    public boolean autoAveraging() {
        return averagingFrequency == 0;
    }

    /** This spec with a resolved averaging frequency. */
    public TrainSpec withAveragingFrequency(int frequency) {
        return new TrainSpec(
                epochs,
                batchSize,
                optimizer,
                learningRate,
                momentum,
                beta1,
                beta2,
                workers,
                frequency,
                engine,
                step,
                inDriver,
                earlyStopping,
                classWeights,
                schedule);
    }

    /**
     * Training minibatches per worker and epoch below which another worker is not worth its averaging: on the peers'
     * 1,000-row weather split (four minibatches) two workers needed 1.8 times the epochs of one for the same test
     * figures, and no less wall time.
     */
    public static final int MINIBATCHES_PER_WORKER = 32;

    /**
     * The workers to train {@code trainRows} rows with: {@code train.workers}, or when it is 0 one worker per
     * {@value #MINIBATCHES_PER_WORKER} minibatches of the training split, at least one and at most Spark's default
     * parallelism.
     */
    public int workersFor(long trainRows, int defaultParallelism) {
        if (workers > 0) {
            return workers;
        }
        long minibatches = (trainRows + batchSize - 1) / batchSize;
        return (int) Math.max(1, Math.min(defaultParallelism, minibatches / MINIBATCHES_PER_WORKER));
    }

    /** The most workers a run may train with, before the data is read: {@code train.workers}, or the parallelism. */
    public int workersOr(int defaultParallelism) {
        return workers > 0 ? workers : defaultParallelism;
    }
}
