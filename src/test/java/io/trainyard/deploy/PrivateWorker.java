package io.trainyard.deploy;

import io.trainyard.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One more worker for a {@link StandaloneCluster}, started in a mount namespace of its own where an empty tmpfs hides
 * {@code hidden}: its executors are what an executor on another host without shared storage would be, on this one
 * machine ({@code unshare} needs root, which this project's machines and CI have).
 */
final class PrivateWorker implements AutoCloseable {
    private final Process process;

    private PrivateWorker(Process process) {
        this.process = process;
    }

    static PrivateWorker start(StandaloneCluster cluster, Path hidden) throws IOException, InterruptedException {
        Path sparkHome = StandaloneCluster.HOME.resolve("target/spark-home");
        Path log = cluster.dir().resolve("logs/private-worker.log");
        Path work = cluster.dir().resolve("work/private-worker");
        Files.createDirectories(work);
        String script = "mount -t tmpfs tmpfs \"$1\" && shift && exec \"$@\"";
        ProcessBuilder builder = new ProcessBuilder(
                "setsid",
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                script,
                "sh",
                hidden.toString(),
                sparkHome.resolve("bin/spark-class").toString(),
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--cores",
                "1",
                "--memory",
                "4g",
                "--webui-port",
                "0",
                "--work-dir",
                work.toString(),
                cluster.masterUrl());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // The daemons' log configuration: registration is reported at INFO.
        builder.environment()
                .put(
                        "SPARK_DAEMON_JAVA_OPTS",
                        "-Dlog4j2.configurationFile="
                                + StandaloneCluster.HOME.resolve("deploy/standalone/log4j2-daemon.properties"));
        PrivateWorker worker = new PrivateWorker(
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!Files.readString(log).contains("Successfully registered with master")) {
            if (!worker.process.isAlive() || System.nanoTime() > deadline) {
                worker.close();
                throw new IllegalStateException("the private worker did not register:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return worker;
    }

    /** Ends the worker and the executors it started. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit()
                    .toCompletableFuture()
                    .orTimeout(30, TimeUnit.SECONDS)
                    .exceptionally(e -> p)
                    .join();
        }
    }
}
