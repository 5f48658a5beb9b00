package io.trainyard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1, started and stopped with {@code deploy/standalone/cluster.sh}
 * exactly as the README does it, and applications submitted to it with {@code deploy/submit.sh}. Tests run from the
 * project root (Maven's working directory), after {@code package} built the shaded jar.
 */
public final class StandaloneCluster implements AutoCloseable {
    public static final Path HOME = Path.of("").toAbsolutePath();
    private final Path dir;
    private final String masterUrl;
    /** Every process of the cluster seen so far (daemons and the executors they started). */
    private final Set<ProcessHandle> seen = new HashSet<>();

    private StandaloneCluster(Path dir, String masterUrl) {
        this.dir = dir;
        this.masterUrl = masterUrl;
    }

    public static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("cluster-start.log");
        Files.createDirectories(dir);
        Process start = new ProcessBuilder(
                        HOME.resolve("deploy/standalone/cluster.sh").toString(),
                        "start",
                        "--dir",
                        dir.toString(),
                        "--workers",
                        String.valueOf(workers),
                        "--port",
                        String.valueOf(port),
                        "--ui-port",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!start.waitFor(3, TimeUnit.MINUTES) || start.exitValue() != 0) {
            start.destroyForcibly();
            new StandaloneCluster(dir, null).close();
            throw new IllegalStateException("the cluster did not start:\n" + Files.readString(log));
        }
        return new StandaloneCluster(
                dir, Files.readString(dir.resolve("master-url")).strip());
    }

    public String masterUrl() {
        return masterUrl;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Submits a Trainyard command with deploy/submit.sh: {@code sparkOptions} (such as {@code --conf k=v}) go to
     * spark-submit, {@code args} to Trainyard. The process is the driver JVM (the scripts exec into it).
     */
    public Process submit(Path log, List<String> sparkOptions, String... args) throws IOException {
        List<String> command =
                new ArrayList<>(List.of(HOME.resolve("deploy/submit.sh").toString(), "--master", masterUrl));
        command.addAll(sparkOptions);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Runs {@link #submit} to its end (at most 10 minutes) and returns the exit code. */
    public int run(Path log, List<String> sparkOptions, String... args) throws IOException, InterruptedException {
        Process driver = submit(log, sparkOptions, args);
        try {
            if (!driver.waitFor(10, TimeUnit.MINUTES)) {
                throw new AssertionError(
                        "the submitted command did not end within 10 minutes:\n" + Files.readString(log));
            }
            return driver.exitValue();
        } finally {
            driver.destroyForcibly();
        }
    }

    /** The executor JVMs running now. */
    public List<ProcessHandle> executors() {
        return processes()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .toList();
    }

    /** The daemons (from their pid files) and their descendants, alive now; remembered for {@link #close}. */
    private Stream<ProcessHandle> processes() {
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> pids = Files.list(dir.resolve("pids"))) {
            for (Path pid : pids.toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(daemon -> {
                    out.add(daemon);
                    daemon.descendants().forEach(out::add);
                });
            }
        } catch (IOException e) {
            // No pid folder: nothing runs.
        }
        synchronized (seen) {
            seen.addAll(out);
        }
        return out.stream().filter(ProcessHandle::isAlive);
    }

    /** Stops the cluster with the script and checks that none of its JVMs outlives it. */
    @Override
    public void close() throws IOException, InterruptedException {
        processes().count();
        Path log = dir.resolve("cluster-stop.log");
        Process stop = new ProcessBuilder(
                        HOME.resolve("deploy/standalone/cluster.sh").toString(), "stop", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        stop.waitFor(2, TimeUnit.MINUTES);
        List<ProcessHandle> survivors;
        synchronized (seen) {
            survivors = seen.stream().filter(ProcessHandle::isAlive).toList();
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        if (!survivors.isEmpty()) {
            throw new AssertionError("cluster processes outlived cluster.sh stop: "
                    + survivors.stream()
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                            .toList());
        }
    }
}
