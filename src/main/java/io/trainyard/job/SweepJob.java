package io.trainyard.job;

import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.DataPreparer;
import io.trainyard.data.PreparedData;
import io.trainyard.family.Published;
import io.trainyard.report.SweepReport;
import io.trainyard.report.SweepResults;
import io.trainyard.run.Preflight;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.run.Sha256;
import io.trainyard.run.Termination;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.sweep.Ledger;
import io.trainyard.sweep.NoTrialSucceededException;
import io.trainyard.sweep.RecordedRunner;
import io.trainyard.sweep.Strategy;
import io.trainyard.sweep.SweepProgress;
import io.trainyard.sweep.SweepScheduler;
import io.trainyard.sweep.SweepSpec;
import io.trainyard.sweep.SweepSpecs;
import io.trainyard.sweep.TrialOutcome;
import io.trainyard.sweep.TrialPlan;
import io.trainyard.sweep.TrialRunner;
import io.trainyard.train.TrainingMemory;
import io.trainyard.train.averaging.WorkerThreads;
import io.trainyard.trials.SparkTrialRunner;
import io.trainyard.trials.TrainingBatches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole sweep: prepare the data once, run the strategy's trials on it through the ledger (resuming whatever an
 * earlier run of the same sweep recorded), write the results and the report, test the best trial once and publish it
 * as {@code best/} in a train run's layout ({@code _SUCCESS} last, in both).
 */
public final class SweepJob {
    private static final Logger LOG = LoggerFactory.getLogger(SweepJob.class);
    /** What a finished sweep reports to its caller. @param best the best trial, tested once and published */
    public record Outcome(
            Path runDirectory, SweepSpec sweep, SweepScheduler.Result result, Published<?> best, double seconds) {}

    private SweepJob() {}

    public static Outcome run(SparkSession spark, JobSpec job, Path out) {
        long start = System.nanoTime();
        SweepSpec sweep = SweepSpecs.read(job);
        // Every trial trains on the same prepared partitions, one per worker of a trial.
        JobSpec spec = SweepSpecs.trialSpec(job, Map.of("train.workers", sweep.workersPerTrial()));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Trials running at once share this JVM in local mode; each trial's own network is checked when it starts.
        TrainingMemory.requireFits(sc, spec, sweep.parallel() * sweep.workersPerTrial());
        RunDirectory run = RunDirectory.open(out, job.data().path());
        // The results table is written by an executor.
        Preflight.requireWritableByExecutors(sc, out, "run directory");
        try (PreparedData data = DataPreparer.prepare(spark, spec, spec.binaryAsOneColumn());
                TrainingBatches batches = new TrainingBatches(data, spec.train().batchSize());
                Ledger ledger = Ledger.open(run.resolve(RunFiles.LEDGER), fingerprint(spec, data))) {
            sweep.checkMetricApplies(data.plan().task());
            // Trials running at once share the executors' cores.
            int threads = WorkerThreads.perWorker(sc, sweep.parallel() * sweep.workersPerTrial());
            SparkTrialRunner trials = new SparkTrialRunner(
                    new SparkTrialRunner.Sweep(sc, spec, data, batches, run, sweep, threads, ledger));
            Provenance.record(run, spec, data, spark, trials.familySeeds(spec));
            Strategy strategy = sweep.strategy();
            String shortHyperband = sweep.shortHyperband();
            if (shortHyperband != null) {
                LOG.warn(shortHyperband);
            }
            LOG.info(
                    "sweep {}: {}, {} trial run(s) planned ({} epochs of training), {} at once, {} worker(s) "
                            + "each, ranked by validation {}",
                    spec.name(),
                    sweep.describe(),
                    strategy.planned().runs(),
                    strategy.planned().epochs(),
                    sweep.parallel(),
                    sweep.workersPerTrial(),
                    SpecEnums.name(sweep.metric()));
            SweepScheduler.Result result = schedule(sc, sweep, strategy, new RecordedRunner(ledger, trials), ledger);
            writeResults(spark, run, SweepResults.table(sweep, result));
            if (result.best().isEmpty()) {
                run.writeText(RunFiles.REPORT, SweepReport.html(spec.name(), sweep, result, null));
                throw new NoTrialSucceededException(
                        "none of the " + result.plans().size() + " trials succeeded; " + "their reasons are in "
                                + run.resolve(RunFiles.RESULTS_CSV));
            }
            Published<?> best = publishBest(spark, run, data, trials, result);
            run.writeText(RunFiles.REPORT, SweepReport.html(spec.name(), sweep, result, best.testSummary()));
            run.markSuccess();
            return new Outcome(run.root(), sweep, result, best, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Runs the trials. On SIGTERM or SIGINT the ledger is sealed first (so the shutdown's failures are not recorded
     * as results), the trials' Spark jobs are cancelled, and this thread is interrupted: the ledger then holds every
     * trial that ended, and a rerun resumes from it.
     */
    private static SweepScheduler.Result schedule(
            JavaSparkContext sc, SweepSpec sweep, Strategy strategy, TrialRunner runner, Ledger ledger) {
        Thread sweepThread = Thread.currentThread();
        SweepProgress progress = new SweepProgress(strategy.planned(), SpecEnums.name(sweep.metric()), sweep.mode());
        SweepScheduler.Listener listener = new SweepScheduler.Listener() {
            @Override
            public void started(TrialPlan plan) {
                progress.started(plan);
            }

            @Override
            public void ended(TrialPlan plan, TrialOutcome outcome) {
                progress.ended(plan, outcome);
            }

            @Override
            public void stopped(List<TrialPlan> plans) {
                plans.forEach(ledger::stopped);
                progress.stopped(plans);
            }
        };
        try (Termination ignored = Termination.onTerminate(() -> {
            LOG.warn("terminating: the sweep ledger is sealed and running trials are cancelled; run the same command "
                    + "again to resume");
            ledger.seal();
            sc.cancelAllJobs();
            sweepThread.interrupt();
        })) {
            SweepScheduler.Result result =
                    SweepScheduler.run(strategy, runner, sweep.parallel(), sweep.mode(), listener);
            if (Termination.inProgress()) {
                throw new CancellationException("sweep terminated");
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("sweep interrupted");
        }
    }

    /** The best trial, tested once and published as {@code best/}: what {@code trainyard train} would have written. */
    private static Published<?> publishBest(
            SparkSession spark,
            RunDirectory run,
            PreparedData data,
            SparkTrialRunner trials,
            SweepScheduler.Result result) {
        long start = System.nanoTime();
        TrialPlan plan = result.plans().get(result.best().orElseThrow());
        JobSpec spec = trials.spec(plan);
        RunDirectory best = RunDirectory.open(run.resolve(RunFiles.BEST), java.util.Map.of());
        RunProvenance provenance = Provenance.record(best, spec, data, spark, trials.familySeeds(spec));
        LOG.info(
                "best: {} ({}), validation {}",
                plan.name(),
                SweepProgress.describe(plan.params()),
                String.format(
                        Locale.ROOT, "%.4f", result.outcomes().get(plan.id()).best()));
        return trials.publish(spark, best, plan, provenance, start);
    }

    /** {@code results.csv} and {@code results.parquet} (one file, written aside and renamed into place). */
    private static void writeResults(SparkSession spark, RunDirectory run, SweepResults.Table table) {
        run.writeText(RunFiles.RESULTS_CSV, table.csv());
        List<StructField> fields = new ArrayList<>();
        for (SweepResults.Column c : table.columns()) {
            DataType type = switch (c.type()) {
                case INT -> DataTypes.IntegerType;
                case DOUBLE -> DataTypes.DoubleType;
                case STRING -> DataTypes.StringType;
            };
            fields.add(DataTypes.createStructField(c.name(), type, c.nullable()));
        }
        List<Row> rows =
                table.rows().stream().map(r -> RowFactory.create(r.toArray())).toList();
        RunDirectory.publishDirectory(
                run.resolve(RunFiles.RESULTS_PARQUET),
                tmp -> spark.createDataFrame(rows, DataTypes.createStructType(fields))
                        .coalesce(1)
                        .write()
                        .parquet(tmp.toString()));
    }

    /** The resolved spec and the data's fingerprint: what a ledger must have been written for to be resumed. */
    static String fingerprint(JobSpec spec, PreparedData data) {
        return Sha256.hex(spec.renderJson(), data.source().fingerprint());
    }
}
