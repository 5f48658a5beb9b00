package io.trainyard.data.columnar;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Whether the columnar reader's in-memory arrays fit an executor: one source partition's block (8 bytes per scalar
 * and 4 per category per row, beside the hash and label) and one minibatch partition's packed rows (twice: the
 * arriving packs and their sorted copy), times the tasks an executor runs at once, within a third of its heap. Data
 * that would not fit is read as Spark rows, which stream and spill.
 */
final class MemoryBudget {
    private MemoryBudget() {}

    /** The heap and concurrent tasks of one executor (the driver's, on a local master). */
    record Executor(long heapBytes, int tasks) {
        static Executor of(SparkSession spark) {
            SparkConf conf = spark.sparkContext().getConf();
            if (spark.sparkContext().isLocal()) {
                return new Executor(
                        Runtime.getRuntime().maxMemory(), spark.sparkContext().defaultParallelism());
            }
            int tasks = Math.max(1, conf.getInt("spark.executor.cores", 1) / conf.getInt("spark.task.cpus", 1));
            return new Executor(conf.getSizeAsBytes("spark.executor.memory", "1g"), tasks);
        }
    }

    /** Why the arrays would not fit, or null when they do. */
    static String refusal(
            long rows, int sourcePartitions, int minibatchPartitions, int scalars, int categoricals, Executor e) {
        long blockRow = 8L * scalars + 4L * categoricals + 8 + 8 + 2;
        long packedRow = 4L * scalars + 4L * categoricals + 8 + 4 + 1;
        long block = ceilDiv(rows, sourcePartitions) * blockRow;
        long packed = 2 * ceilDiv(rows, minibatchPartitions) * packedRow;
        long needed = Math.max(block, packed) * e.tasks();
        if (needed <= e.heapBytes() / 3) {
            return null;
        }
        return String.format(
                "column arrays of about %d MB per task (%d rows in %d source and %d minibatch partitions) would not fit"
                        + " a third of a %d MB executor heap running %d tasks",
                Math.max(block, packed) >> 20,
                rows,
                sourcePartitions,
                minibatchPartitions,
                e.heapBytes() >> 20,
                e.tasks());
    }

    private static long ceilDiv(long a, int b) {
        return (a + Math.max(1, b) - 1) / Math.max(1, b);
    }
}
