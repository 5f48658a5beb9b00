package io.trainyard.cli;

import io.trainyard.spec.JobSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The run directory option of commands that write a run. */
final class RunOptions {
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/<name>)")
    Path out;

    /** Where a run of this spec writes: --out, or runs/&lt;name&gt;. */
    Path runDirectory(JobSpec job) {
        return out == null ? Path.of("runs", job.name()) : out;
    }
}
