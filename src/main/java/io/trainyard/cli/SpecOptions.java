package io.trainyard.cli;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The spec file and its {@code --set} overrides, shared by every command that runs a spec. */
final class SpecOptions {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Job spec (HOCON), e.g. jobs/quickstart.conf")
    Path spec;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec key (repeatable)")
    List<String> overrides = new ArrayList<>();

    JobSpec load() {
        return SpecLoader.load(spec, overrides);
    }
}
