package io.trainyard.run;

/**
 * Spark settings or storage known to fail on a cluster, refused by {@link Preflight} before any work: exit code 5.
 * The message names the setting to change.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
