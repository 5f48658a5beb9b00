package io.trainyard.train;

import io.trainyard.data.PreparedData;
import io.trainyard.data.features.FeaturePlan;
import io.trainyard.evaluate.Evaluator;
import io.trainyard.evaluate.Metrics;
import io.trainyard.model.NetworkSummary;
import io.trainyard.spec.model.DecisionThreshold;
import io.trainyard.spec.train.Engine;
import io.trainyard.spec.train.TrainSpec;
import io.trainyard.train.averaging.AveragingEngine;
import io.trainyard.train.averaging.Dl4jMasterFitter;
import io.trainyard.train.averaging.EpochFitter;
import io.trainyard.train.averaging.InDriverRounds;
import io.trainyard.train.averaging.LearningRates;
import io.trainyard.train.averaging.LocalPartitions;
import io.trainyard.train.averaging.RoundSettings;
import io.trainyard.train.averaging.WorkerThreads;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network by parameter averaging across Spark executors ({@link AveragingEngine}, or DL4J's master with
 * {@code train.engine = dl4j}), one pass per epoch over the persisted training minibatches, evaluating the validation split after every epoch on the executors, stopping
 * early when it stops improving, and refusing to go on when the loss or the parameters stop being finite.
 */
public final class DistributedTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    /** Told about every epoch as it ends (progress lines; later, sweeps). */
    public interface EpochListener {
        void onEpoch(EpochRecord record, int epochs);
    }

    private DistributedTrainer() {}

    /**
     * The training master, configured on purpose:
     * Direct approach (minibatches go from the persisted RDD straight to workers; Export needs a directory every
     * executor can reach), no repartitioning (preparation already spread the minibatches evenly over
     * {@code workers} partitions, so DL4J's default would shuffle them every epoch for nothing), the updater state
     * averaged with the parameters (Adam's moments survive each round as on one machine), no prefetch threads
     * (minibatches are already in memory), no stats collection (it queries an NTP server).
     */
    public static ParameterAveragingTrainingMaster trainingMaster(TrainSpec train, int workers, long seed) {
        return new ParameterAveragingTrainingMaster.Builder(workers, train.batchSize())
                .batchSizePerWorker(train.batchSize())
                .averagingFrequency(train.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(StorageLevel.MEMORY_AND_DISK())
                .collectTrainingStats(false)
                .rngSeed(seed)
                .build();
    }

    public static TrainingResult train(
            JavaSparkContext sc,
            MultiLayerConfiguration conf,
            PreparedData data,
            TrainSpec train,
            int workers,
            long seed,
            EpochListener listener) {
        return train(
                sc,
                TrainingStart.fresh(conf),
                data,
                train,
                workers,
                WorkerThreads.perWorker(sc, workers),
                seed,
                listener);
    }

    /**
     * Trains from {@code start} up to {@code train.epochs()} epochs in all. A continued start replays its history
     * into early stopping, and the engine draws the minibatch orders of the epochs already done, so training 3
     * epochs and continuing to 9 ends as training 9 at once does.
     *
     * @param threadsPerWorker ND4J threads per worker (fewer when several trainings share the executors)
     */
    public static TrainingResult train(
            JavaSparkContext sc,
            TrainingStart start,
            PreparedData data,
            TrainSpec train,
            int workers,
            int threadsPerWorker,
            long seed,
            EpochListener listener) {
        if (sc.isLocal()) {
            // Local workers share this JVM's ND4J thread limit; DL4J's master never sets it, so set it for both.
            WorkerThreads.limit(threadsPerWorker);
        }
        MultiLayerNetwork network = start.network();
        train = AveragingFrequency.resolve(
                train, network, data.manifest().minibatches().get(0), workers);
        boolean inDriver = runsInDriver(sc, train, data, network);
        try (EpochFitter fitter = switch (train.engine()) {
            case TRAINYARD -> {
                RoundSettings rounds = RoundSettings.of(
                        train, workers, data.manifest().minibatches().get(0), seed, threadsPerWorker);
                yield inDriver
                        ? new InDriverRounds(network, data.train(), rounds)
                        : new AveragingEngine(sc, network, rounds);
            }
            case DL4J -> new Dl4jMasterFitter(sc, network, trainingMaster(train, workers, seed));
        }) {
            fitter.skipEpochs(start.history().size());
            Validation validation = inDriver
                    ? Validation.inDriver(LocalPartitions.flat(data.validation()), data.plan())
                    : Validation.onSpark(sc, data.validation(), data.plan());
            return train(fitter, start, data, train, validation, listener);
        }
    }

    /**
     * Whether the rounds and validations run in the driver ({@code train.in-driver}): a local master, the trainyard
     * engine, and encoded training and validation splits of at most a quarter of the heap (the driver's workers
     * keep them between epochs, and on small data a round's Spark job costs more than its arithmetic).
     */
    static boolean runsInDriver(JavaSparkContext sc, TrainSpec train, PreparedData data, MultiLayerNetwork network) {
        if (!train.inDriver() || !sc.isLocal() || train.engine() != Engine.TRAINYARD) {
            return false;
        }
        long rows = data.manifest().total().train() + data.manifest().total().validation();
        long width = data.plan().inputWidth() + NetworkSummary.outputWidth(network);
        long bytes = rows * width * Float.BYTES;
        boolean fits = bytes <= Runtime.getRuntime().maxMemory() / 4;
        LOG.info(
                "training and validation splits: {} MB encoded; {}",
                String.format("%.1f", bytes / 1e6),
                fits ? "rounds and validation run in the driver" : "rounds and validation run as Spark jobs");
        return fits;
    }

    /** Each epoch's validation: on the executors, or on minibatches the driver holds. */
    private interface Validation {
        Metrics of(MultiLayerNetwork network);

        static Validation onSpark(JavaSparkContext sc, JavaRDD<DataSet> split, FeaturePlan plan) {
            return network -> Evaluator.evaluate(sc, network, split, plan);
        }

        static Validation inDriver(List<DataSet> split, FeaturePlan plan) {
            return network -> Evaluator.evaluate(network, split, plan, DecisionThreshold.DEFAULT.value());
        }
    }

    private static TrainingResult train(
            EpochFitter fitter,
            TrainingStart start,
            PreparedData data,
            TrainSpec train,
            Validation validate,
            EpochListener listener) {
        long trainExamples = data.manifest().total().train();
        INDArray[] bestParams = {start.bestParams()};
        EarlyStopping stopping = new EarlyStopping(train.earlyStopping());
        EpochLoop.Family<EpochRecord> network = new EpochLoop.Family<>() {
            @Override
            public EpochRecord epoch(int epoch, List<Boolean> improved) {
                double learningRate = train.learningRate(epoch, improved);
                if (train.schedule().enabled()) {
                    // The driver's network carries the rate to the workers: both engines ship its configuration.
                    LearningRates.set(fitter.network(), learningRate);
                }
                long begin = System.nanoTime();
                fitter.fitEpoch(data.train());
                double fitSeconds = (System.nanoTime() - begin) / 1e9;
                double trainLoss = fitter.score();
                checkFinite(fitter.network(), trainLoss, epoch, train);
                Metrics validation = validate.of(fitter.network());
                if (!Double.isFinite(validation.loss())) {
                    throw new TrainingDivergedException("training diverged at epoch " + epoch
                            + ": validation loss is " + validation.loss() + "; lower train.learning-rate (now "
                            + train.learningRate() + ")");
                }
                double seconds = (System.nanoTime() - begin) / 1e9;
                return new EpochRecord(epoch, trainLoss, validation, trainExamples / fitSeconds, seconds, learningRate);
            }

            @Override
            public double validation(EpochRecord record) {
                return record.validation().value(stopping.metric());
            }

            @Override
            public void keepBest() {
                bestParams[0] = fitter.network().params().dup();
            }
        };
        EpochLoop.Outcome<EpochRecord> done = EpochLoop.run(
                network, start.history(), stopping, train.epochs(), record -> listener.onEpoch(record, train.epochs()));
        MultiLayerNetwork trained = fitter.network();
        INDArray lastParams = trained.params().dup();
        trained.setParams(bestParams[0]);
        return new TrainingResult(trained, done.bestEpoch(), done.history(), done.reason(), lastParams, done.stopped());
    }

    private static void checkFinite(MultiLayerNetwork network, double loss, int epoch, TrainSpec train) {
        double paramSum = network.params().sumNumber().doubleValue();
        if (!Double.isFinite(loss) || !Double.isFinite(paramSum)) {
            throw new TrainingDivergedException("training diverged at epoch " + epoch + ": training loss is " + loss
                    + (Double.isFinite(paramSum) ? "" : " and parameters are not finite")
                    + "; lower train.learning-rate (now " + train.learningRate() + ")");
        }
    }
}
