package io.trainyard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether a timing was taken on a quiet machine. A snapshot holds the wall clock, the machine's busy CPU time (from
 * {@code /proc/stat}), this JVM's CPU time and the one-minute load average; two snapshots tell how many cores this
 * JVM, a child process (its own CPU time, reported by it) and everything else kept busy in between. "Everything else"
 * is what slows a measurement behind its back: on an idle machine it is near zero. Without {@code /proc} (not Linux)
 * the machine figures are NaN and no warning is given.
 */
record MachineLoad(long nanos, double busySeconds, double jvmSeconds, double loadAverage) {
    /** Cores used by others during a measurement above which the bench warns that the machine was not idle. */
    static final double BUSY_CORES = 0.25;
    /** Cores this JVM may use while a child process is timed, for threads that wake now and then. */
    static final double QUIET_JVM_CORES = 0.05;

    static MachineLoad now() {
        return new MachineLoad(
                System.nanoTime(),
                machineBusySeconds(),
                jvmCpuSeconds(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** What happened since {@code this}: {@code childSeconds} is a child process's own CPU time over the window. */
    Window until(MachineLoad end, double childSeconds) {
        double wall = (end.nanos - nanos) / 1e9;
        double jvm = (end.jvmSeconds - jvmSeconds) / wall;
        double others = (end.busySeconds - busySeconds - (end.jvmSeconds - jvmSeconds) - childSeconds) / wall;
        return new Window(wall, loadAverage, jvm, Math.max(0, others));
    }

    /**
     * One measurement's surroundings.
     *
     * @param loadAverage the one-minute load average when it started
     * @param jvmCores    this JVM's CPU use over it, in cores
     * @param otherCores  the CPU use of every other process (the child excluded), in cores
     */
    record Window(double seconds, double loadAverage, double jvmCores, double otherCores) {
        boolean busy() {
            return otherCores > BUSY_CORES;
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "load %.2f, others %.2f cores, this JVM %.2f cores",
                    loadAverage,
                    otherCores,
                    jvmCores);
        }
    }

    private static double jvmCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Busy CPU seconds of the whole machine since boot: user, nice, system, irq, softirq and steal, over all cores. */
    private static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            // The kernel counts in USER_HZ, 100 per second on every Linux this runs on.
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
