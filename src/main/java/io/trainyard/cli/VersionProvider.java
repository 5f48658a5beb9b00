package io.trainyard.cli;

import picocli.CommandLine;

/** {@code trainyard --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"trainyard " + io.trainyard.run.Version.of()};
    }
}
