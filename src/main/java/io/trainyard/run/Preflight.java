package io.trainyard.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The start-up check of settings and storage that are known to fail on a cluster, each refused with the setting to
 * change: they would otherwise surface minutes later as executors killed "at random" or tasks failing on files.
 */
public final class Preflight {
    static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final long MIN_OVERHEAD_MB = 384;

    private Preflight() {}

    /** Refuses the first problem of {@code conf} (read before the context starts). */
    public static void checkSettings(SparkConf conf) {
        List<String> problems = problems(conf);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems.get(0));
        }
    }

    /** Every problem of {@code conf}, each one line naming the setting to change. */
    static List<String> problems(SparkConf conf) {
        List<String> problems = new ArrayList<>();
        kryo(conf).ifPresent(problems::add);
        String master = conf.get("spark.master", "");
        // Only YARN and Kubernetes put executors in containers limited to heap + overhead; a standalone worker and
        // local mode do not kill a process for outgrowing it.
        if (master.startsWith("yarn") || master.startsWith("k8s://")) {
            problems.addAll(executorMemory(conf));
        }
        return problems;
    }

    private static Optional<String> kryo(SparkConf conf) {
        if (!conf.get("spark.serializer", "").contains("KryoSerializer")) {
            return Optional.empty();
        }
        String registrators = conf.get("spark.kryo.registrator", "");
        if (!List.of(registrators.split("\\s*,\\s*")).contains(SparkSessions.ND4J_REGISTRATOR)) {
            return Optional.of(
                    "spark.kryo.registrator=" + registrators + " leaves out " + SparkSessions.ND4J_REGISTRATOR
                            + ", without which ND4J arrays do not serialise under Kryo; set spark.kryo.registrator="
                            + SparkSessions.ND4J_REGISTRATOR + (registrators.isBlank() ? "" : "," + registrators));
        }
        if (conf.getBoolean("spark.kryo.registrationRequired", false)) {
            return Optional.of("spark.kryo.registrationRequired=true refuses the unregistered classes Trainyard's "
                    + "tasks return; set spark.kryo.registrationRequired=false");
        }
        return Optional.empty();
    }

    private static List<String> executorMemory(SparkConf conf) {
        List<String> problems = new ArrayList<>();
        long heapMb = conf.getSizeAsMb("spark.executor.memory", "1g");
        double factor = conf.getDouble("spark.executor.memoryOverheadFactor", 0.1);
        long overheadMb = conf.contains("spark.executor.memoryOverhead")
                ? conf.getSizeAsMb("spark.executor.memoryOverhead")
                : Math.max(MIN_OVERHEAD_MB, (long) (factor * heapMb));
        String options = conf.get("spark.executor.defaultJavaOptions", "") + " "
                + conf.get("spark.executor.extraJavaOptions", "");
        Optional<String> maxBytes = systemProperty(options, MAX_BYTES);
        // JavaCPP's default limit is the heap size: without a setting, ND4J may hold as much again outside the heap.
        long offHeapMb = maxBytes.map(v -> javacppMb(v, heapMb)).orElse(heapMb);
        if (overheadMb < offHeapMb) {
            problems.add("spark.executor.memoryOverhead (" + overheadMb
                    + " MiB) is below the executors' off-heap limit "
                    + (maxBytes.isPresent()
                            ? MAX_BYTES + "=" + maxBytes.get()
                            : "(no " + MAX_BYTES + " set, so the heap size)")
                    + " (" + offHeapMb + " MiB): ND4J's arrays would outgrow the container and the executor be killed; "
                    + "set spark.executor.memoryOverhead to at least " + offHeapMb + "m, or lower -D" + MAX_BYTES
                    + " in spark.executor.extraJavaOptions");
        }
        Optional<String> maxPhysical = systemProperty(options, MAX_PHYSICAL_BYTES);
        if (maxPhysical.isPresent() && javacppMb(maxPhysical.get(), heapMb) > heapMb + overheadMb) {
            problems.add(MAX_PHYSICAL_BYTES + "=" + maxPhysical.get() + " exceeds the executor container (heap "
                    + heapMb + " MiB + spark.executor.memoryOverhead " + overheadMb + " MiB): the container would be "
                    + "killed before ND4J's limit stops it; set -D" + MAX_PHYSICAL_BYTES + " to at most "
                    + (heapMb + overheadMb) + "M in spark.executor.extraJavaOptions");
        }
        return problems;
    }

    /**
     * Refuses training whose estimated off-heap memory cannot fit: in local mode the driver's copy and every worker
     * share this JVM's JavaCPP limit; on a cluster the driver's copy must fit the driver's, and each executor's task
     * slots' workers the executors' limit ({@code -Dorg.bytedeco.javacpp.maxbytes} in their Java options, else their
     * heap size). {@code what} names the spec key that sized the network. Exit 5, before anything is allocated.
     */
    public static void requireOffHeap(
            SparkConf conf,
            boolean local,
            String what,
            long parameters,
            long driverBytes,
            long workerBytes,
            int workers) {
        long driverLimit = org.bytedeco.javacpp.Pointer.maxBytes();
        String sizes = String.format(
                "%,d parameters; per worker: weights, gradients, optimiser state and one " + "minibatch's activations",
                parameters);
        if (local) {
            long need = Saturating.add(driverBytes, Saturating.multiply(workers, workerBytes));
            if (need > driverLimit) {
                throw new ConfigurationException(what + ": training needs about " + gib(need) + " off-heap in this JVM "
                        + "(" + sizes + ", for " + workers
                        + " worker(s), plus the driver's copy), more than its limit of "
                        + gib(driverLimit) + " (" + MAX_BYTES + "); use fewer or narrower layers, fewer workers, or a "
                        + "higher limit (TRAINYARD_OFFHEAP)");
            }
            return;
        }
        if (driverBytes > driverLimit) {
            throw new ConfigurationException(what + ": the driver's copy of the network needs about " + gib(driverBytes)
                    + " off-heap, more than the driver's limit of " + gib(driverLimit) + " (" + MAX_BYTES + ")");
        }
        long heapMb = conf.getSizeAsMb("spark.executor.memory", "1g");
        String options = conf.get("spark.executor.defaultJavaOptions", "") + " "
                + conf.get("spark.executor.extraJavaOptions", "");
        long executorLimit = systemProperty(options, MAX_BYTES)
                        .map(v -> javacppMb(v, heapMb))
                        .orElse(heapMb)
                << 20;
        int slots = Math.max(
                1,
                Math.min(
                        workers,
                        conf.getInt("spark.executor.cores", 1) / Math.max(1, conf.getInt("spark.task.cpus", 1))));
        long need = Saturating.multiply(slots, workerBytes);
        if (need > executorLimit) {
            throw new ConfigurationException(what + ": training needs about " + gib(need) + " off-heap per executor ("
                    + sizes + ", for " + slots + " worker(s) per executor), more than the executors' limit of "
                    + gib(executorLimit) + "; use fewer or narrower layers, or raise -D" + MAX_BYTES + " in "
                    + "spark.executor.extraJavaOptions with spark.executor.memoryOverhead above it");
        }
    }

    private static String gib(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EiB" : String.format("%.1f GiB", bytes / (double) (1L << 30));
    }

    /** The last {@code -Dname=value} in a JVM option string (the JVM takes the last). */
    static Optional<String> systemProperty(String options, String name) {
        Matcher m =
                Pattern.compile("(?:^|\\s)-D" + Pattern.quote(name) + "=(\\S+)").matcher(options);
        String value = null;
        while (m.find()) {
            value = m.group(1);
        }
        return Optional.ofNullable(value);
    }

    /** A JavaCPP size (bytes, or with k/m/g/t, or a percentage of the heap) in MiB. */
    static long javacppMb(String value, long heapMb) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("%")) {
            return (long) (Double.parseDouble(v.substring(0, v.length() - 1)) / 100 * heapMb);
        }
        long unit = 1;
        char last = v.charAt(v.length() - 1);
        int power = "kmgt".indexOf(last);
        if (power >= 0) {
            unit = 1L << (10 * (power + 1));
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v) * unit / (1L << 20);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(
                    "cannot read the size '" + value + "' of a JavaCPP limit in the executors' "
                            + "Java options; use a number of bytes with k, m, g or t");
        }
    }

    /**
     * Refuses local input executors cannot see (source Parquet on a driver-only disk): tasks spread over the
     * executors look for {@code path}. Local mode needs no check.
     */
    public static void requireReadableByExecutors(JavaSparkContext sc, Path path, String what) {
        if (sc.isLocal()) {
            return;
        }
        refuseIfBlind(
                sc,
                path.toAbsolutePath().normalize(),
                what + " " + path.toAbsolutePath().normalize(),
                "executors read it, so it must be on storage every node mounts at the same path, or at an hdfs:// or "
                        + "s3a:// location");
    }

    /**
     * Refuses an output directory executors cannot see: Spark's writers (generated data, predictions, results
     * tables) write their files from the executors. The driver writes a probe file there and tasks spread over the
     * executors look for it. Local mode needs no check.
     */
    public static void requireWritableByExecutors(JavaSparkContext sc, Path dir, String what) {
        if (sc.isLocal()) {
            return;
        }
        Path absolute = dir.toAbsolutePath().normalize();
        Path probe = absolute.resolve(".trainyard-probe-" + UUID.randomUUID());
        try {
            Files.createDirectories(absolute);
            Files.writeString(probe, "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + probe, e);
        }
        try {
            refuseIfBlind(
                    sc,
                    probe,
                    what + " " + absolute,
                    "executors write into it, so it must be on storage every " + "node mounts at the same path");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // A leftover probe file is harmless; the check's verdict stands.
            }
        }
    }

    /** Runs tasks over the executors (twice as many as their cores) and refuses when any cannot see {@code path}. */
    private static void refuseIfBlind(JavaSparkContext sc, Path path, String subject, String why) {
        String p = path.toString();
        int executors = Math.max(1, sc.sc().getExecutorMemoryStatus().size() - 1);
        int tasks = 2 * Math.max(executors, sc.defaultParallelism());
        List<String> blind = sc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                .flatMap(i -> Files.exists(Path.of(p))
                        ? List.<String>of().iterator()
                        : List.of("executor " + SparkEnv.get().executorId() + " on " + hostName())
                                .iterator())
                .distinct()
                .collect();
        if (!blind.isEmpty()) {
            throw new ConfigurationException(subject + " is not visible from " + String.join(", ", blind) + ": " + why);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "an unknown host";
        }
    }
}
