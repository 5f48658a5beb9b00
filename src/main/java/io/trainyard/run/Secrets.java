package io.trainyard.run;

import java.util.Locale;
import java.util.regex.Pattern;

/** Keys whose values must never be written to logs, run.json or reports. */
public final class Secrets {
    private static final Pattern SECRET = Pattern.compile(".*(password|passwd|token|secret|credential|access\\.?key|"
            + "secret\\.?key|private\\.?key|auth).*");

    private Secrets() {
    }

    public static boolean looksSecret(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }
}
