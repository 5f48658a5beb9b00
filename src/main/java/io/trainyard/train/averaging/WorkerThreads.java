package io.trainyard.train.averaging;

import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads ND4J (its own ops and BLAS) may use per training worker. Workers that run at once in one JVM each
 * default to every core; two of them on two cores then fight over the cores and train slower than one
 * (measured: an epoch of two workers took 2.3-2.8 s at 2 threads each and 1.3-2.0 s at 1 thread each, against 1.35-1.56 s
 * for one JVM on both cores). The limit is per JVM, which is what all of a JVM's concurrent tasks need.
 */
public final class WorkerThreads {
    private WorkerThreads() {}

    /**
     * Local mode: the machine's cores shared by the workers. A cluster: {@code spark.task.cpus}, the cores Spark
     * reserves for each task (set it to the cores a worker should use).
     */
    public static int perWorker(JavaSparkContext sc, int workers) {
        if (sc.isLocal()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        }
        return Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
    }

    /** The limit this JVM last applied; 0 before the first. */
    private static int applied;

    /**
     * Applies the limit to ND4J's op threads, its master threads and BLAS, every time it changes and the first time
     * in a JVM whatever the getters report: they can report the wanted value while the native side runs with
     * another (seen in the benchmark: ND4J 2 and BLAS 1 after DL4J's master had run).
     */
    public static synchronized void limit(int threads) {
        if (applied == threads) {
            return;
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        applied = threads;
    }
}
