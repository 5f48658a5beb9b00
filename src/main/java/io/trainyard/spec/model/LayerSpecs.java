package io.trainyard.spec.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.activations.Activation;

/**
 * Reads {@code model.layers}: a list of objects such as {@code {conv: 16, kernel: [3, 3]}} or {@code {type = pool}}.
 * Each entry's keys are checked against its kind, so a misspelt key is refused with the entry's position.
 */
public final class LayerSpecs {
    private static final Map<LayerSpec.Kind, Set<String>> KEYS = Map.of(
            LayerSpec.Kind.CONV, Set.of("type", "filters", "kernel", "stride", "padding", "activation"),
            LayerSpec.Kind.POOL, Set.of("type", "pool", "kernel", "stride", "padding"),
            LayerSpec.Kind.DENSE, Set.of("type", "units", "activation", "dropout"),
            LayerSpec.Kind.BATCHNORM, Set.of("type"),
            LayerSpec.Kind.DROPOUT, Set.of("type", "rate"));

    private LayerSpecs() {}

    public static List<LayerSpec> read(Config merged, String key) {
        List<LayerSpec> out = new ArrayList<>();
        ConfigValue value = merged.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw new SpecException(key + " must be a list of layers, e.g. [{type = conv, filters = 16}]");
        }
        List<? extends ConfigValue> entries = merged.getList(key);
        for (int i = 0; i < entries.size(); i++) {
            String at = key + "[" + i + "]";
            if (!(entries.get(i) instanceof ConfigObject object)) {
                throw new SpecException(at + " must be an object such as {type = conv, filters = 16}");
            }
            out.add(layer(at, object.toConfig()));
        }
        return List.copyOf(out);
    }

    private static LayerSpec layer(String at, Config c) {
        if (!c.hasPath("type")) {
            throw new SpecException(at + ".type is required: one of " + SpecEnums.allowed(LayerSpec.Kind.class));
        }
        LayerSpec.Kind kind = SpecEnums.parse(at + ".type", c.getString("type"), LayerSpec.Kind.class);
        Set<String> allowed = KEYS.get(kind);
        for (String k : new TreeSet<>(c.root().keySet())) {
            if (!allowed.contains(k)) {
                throw new SpecException(at + "." + k + " is not a key of a " + SpecEnums.name(kind) + " layer (keys: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        try {
            List<Integer> kernel = pair(c, "kernel", kind == LayerSpec.Kind.POOL ? 2 : 3);
            return new LayerSpec(
                    kind,
                    c.hasPath("filters") ? c.getInt("filters") : c.hasPath("units") ? c.getInt("units") : 0,
                    kernel,
                    c.hasPath("stride") ? pair(c, "stride", 1) : kind == LayerSpec.Kind.POOL ? kernel : List.of(1, 1),
                    c.hasPath("padding")
                            ? SpecEnums.parse(at + ".padding", c.getString("padding"), LayerSpec.Padding.class)
                            : kind == LayerSpec.Kind.POOL ? LayerSpec.Padding.VALID : LayerSpec.Padding.SAME,
                    c.hasPath("pool")
                            ? SpecEnums.parse(at + ".pool", c.getString("pool"), LayerSpec.Pooling.class)
                            : LayerSpec.Pooling.MAX,
                    c.hasPath("activation")
                            ? SpecEnums.parse(at + ".activation", c.getString("activation"), Activation.class)
                            : null,
                    c.hasPath("rate") ? c.getDouble("rate") : c.hasPath("dropout") ? c.getDouble("dropout") : 0);
        } catch (ConfigException.WrongType e) {
            throw new SpecException(at + ": " + e.getMessage().replaceFirst("^[^:]*: ", ""));
        } catch (SpecException e) {
            throw e.getMessage().startsWith(at) ? e : new SpecException(at + ": " + e.getMessage());
        }
    }

    /** A [height, width] pair; a single number n means [n, n]. */
    private static List<Integer> pair(Config c, String key, int fallback) {
        if (!c.hasPath(key)) {
            return List.of(fallback, fallback);
        }
        if (c.getValue(key).valueType() == ConfigValueType.NUMBER) {
            return List.of(c.getInt(key), c.getInt(key));
        }
        return c.getIntList(key);
    }
}
