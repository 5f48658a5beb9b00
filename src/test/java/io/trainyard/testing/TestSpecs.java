package io.trainyard.testing;

import com.typesafe.config.ConfigFactory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import java.util.List;

/** Job specs for tests, written as HOCON. */
public final class TestSpecs {
    private TestSpecs() {}

    public static JobSpec spec(String path, String label, String... overrides) {
        String hocon = "name = test\ndata { path = \"" + path + "\", label = \"" + label + "\" }\n";
        return SpecLoader.fromConfig(ConfigFactory.parseString(hocon), List.of(overrides));
    }
}
