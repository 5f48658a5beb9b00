package io.trainyard.spec;

import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import io.trainyard.spec.check.SpecException;
import java.io.File;
import java.net.URL;

/**
 * The HOCON a job spec may use. A spec comes from other people (a pull request, a file handed over), and Typesafe
 * Config's defaults would let it read for them: {@code include url(...)}, {@code file(...)} and {@code classpath(...)}
 * fetch and merge other sources, and a {@code ${NAME}} or {@code ${?NAME}} that names no key falls back to the
 * environment. Here every include is refused, and a substitution may name only keys of the spec itself.
 */
final class RestrictedHocon {
    private RestrictedHocon() {}

    /** Parse options for spec text from {@code origin}: no include of any kind. */
    static ConfigParseOptions parseOptions(String origin) {
        return ConfigParseOptions.defaults()
                .setAllowMissing(false)
                .setOriginDescription(origin)
                .setIncluder(new RefusingIncluder(origin));
    }

    /** Resolve options: substitutions name keys of the spec, never the environment or system properties. */
    static ConfigResolveOptions resolveOptions() {
        return ConfigResolveOptions.defaults().setUseSystemEnvironment(false).appendResolver(new RefusingResolver());
    }

    /** Refuses {@code include} in every form (a plain, file, URL or classpath include). */
    private static final class RefusingIncluder
            implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
        private final String origin;

        RefusingIncluder(String origin) {
            this.origin = origin;
        }

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw refused(what);
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            throw refused("file(" + what + ")");
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
            throw refused("url(" + what + ")");
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            throw refused("classpath(" + what + ")");
        }

        private SpecException refused(String what) {
            return new SpecException(origin + ": 'include " + what
                    + "' is not allowed; a spec is one file (put the keys in it, or pass --set key=value)");
        }
    }

    /**
     * Called for a substitution that names no key of the spec (Typesafe Config would then read the environment);
     * refuses it, naming the substitution.
     */
    private static final class RefusingResolver implements ConfigResolver {
        @Override
        public ConfigValue lookup(String path) {
            throw new SpecException("${" + path + "} names no key of the spec; a spec does not read environment "
                    + "variables or system properties (pass the value with --set " + path + "=...)");
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver fallback) {
            return this;
        }
    }
}
