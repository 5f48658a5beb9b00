package io.trainyard.cli;

import io.trainyard.job.Provenance;
import picocli.CommandLine;

/** {@code trainyard --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"trainyard " + io.trainyard.run.Version.of()};
    }
}
