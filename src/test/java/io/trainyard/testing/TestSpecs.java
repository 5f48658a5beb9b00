package io.trainyard.testing;

import com.typesafe.config.ConfigFactory;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecLoader;
import java.util.List;

/** Job specs for tests, written as HOCON. */
public final class TestSpecs {
    private TestSpecs() {}

    /**
     * A forecast of the {@code seasonal} generator's {@code value}, two steps ahead from windows of 24 split in time,
     * by a recurrent network of {@code cell} ({@code lstm} or {@code gru}); {@code overrides} on top.
     */
    public static JobSpec seasonalForecast(String path, String cell, String... overrides) {
        List<String> all = new java.util.ArrayList<>(List.of(
                "task=regression",
                "data.sequence.series=series_id",
                "data.sequence.order=ts",
                "data.sequence.window=24",
                "data.sequence.horizon=2",
                "data.sequence.stride=2",
                "data.sequence.split=time",
                "model.type=rnn",
                "model.cell=" + cell,
                "train.batch-size=32"));
        all.addAll(List.of(overrides));
        return spec(path, "value", all.toArray(String[]::new));
    }

    public static JobSpec spec(String path, String label, String... overrides) {
        String hocon = "name = test\ndata { path = \"" + path + "\", label = \"" + label + "\" }\n";
        return SpecLoader.fromConfig(ConfigFactory.parseString(hocon), List.of(overrides));
    }
}
