package io.trainyard.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.trainyard.spec.check.SpecEnums;
import io.trainyard.spec.check.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Typed reads from a resolved config, turning Typesafe Config's exceptions into one-line errors naming the key. */
public final class SpecReader {
    private final Config config;

    public SpecReader(Config config) {
        this.config = config;
    }

    public String string(String key) {
        try {
            ConfigValue value = config.getValue(key);
            if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                throw wrongType(key, "a single value");
            }
            return config.getString(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        }
    }

    /** A list of strings; a single string is read as a list of one. */
    public List<String> stringList(String key) {
        return read(
                key,
                "a list of strings",
                k -> config.getValue(k).valueType() == ConfigValueType.STRING
                        ? List.of(config.getString(k))
                        : config.getStringList(k));
    }

    public double number(String key) {
        return read(key, "a number", config::getDouble);
    }

    public int integer(String key) {
        return read(key, "a whole number", config::getInt);
    }

    public long longInteger(String key) {
        return read(key, "a whole number", config::getLong);
    }

    /** A whole number, or the word {@code auto}, read as 0. */
    public int integerOrAuto(String key) {
        if (config.hasPath(key) && "auto".equals(config.getValue(key).unwrapped())) {
            return 0;
        }
        return read(key, "a whole number or auto", config::getInt);
    }

    public boolean flag(String key) {
        return read(key, "true or false", config::getBoolean);
    }

    public List<Integer> integers(String key) {
        return read(key, "a list of whole numbers", config::getIntList);
    }

    /** Reads a key, naming it when it is missing or of the wrong type. */
    private <T> T read(String key, String expected, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, expected);
        }
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return SpecEnums.parse(key, string(key), type);
    }

    public <E extends Enum<E>> List<E> choices(String key, Class<E> type) {
        List<E> out = new ArrayList<>();
        for (String value : stringList(key)) {
            out.add(SpecEnums.parse(key, value, type));
        }
        return out;
    }

    private SpecException wrongType(String key, String expected) {
        String got = config.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise());
        return new SpecException(key + " must be " + expected + ", got " + got + " (" + where(key) + ")");
    }

    /** Where a key was set, as "file: line", for messages. */
    String where(String key) {
        try {
            return config.getValue(key).origin().description();
        } catch (ConfigException e) {
            return "not set";
        }
    }
}
