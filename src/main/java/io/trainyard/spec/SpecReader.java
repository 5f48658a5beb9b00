package io.trainyard.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/** Typed reads from a resolved config, turning Typesafe Config's exceptions into one-line errors naming the key. */
final class SpecReader {
    private final Config config;

    SpecReader(Config config) {
        this.config = config;
    }

    String string(String key) {
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
    List<String> stringList(String key) {
        try {
            if (config.getValue(key).valueType() == ConfigValueType.STRING) {
                return List.of(config.getString(key));
            }
            return config.getStringList(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a list of strings");
        }
    }

    double number(String key) {
        try {
            return config.getDouble(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a number");
        }
    }

    int integer(String key) {
        try {
            return config.getInt(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a whole number");
        }
    }

    long longInteger(String key) {
        try {
            return config.getLong(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a whole number");
        }
    }

    List<Integer> integers(String key) {
        try {
            return config.getIntList(key);
        } catch (ConfigException.Missing e) {
            throw new SpecException(key + " is required");
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a list of whole numbers");
        }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
        return SpecEnums.parse(key, string(key), type);
    }

    <E extends Enum<E>> List<E> choices(String key, Class<E> type) {
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
