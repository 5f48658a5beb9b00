package io.trainyard.spec.check;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Spec values for enums are lower-case with dashes ({@code day-of-week}); constants are {@code DAY_OF_WEEK}. */
public final class SpecEnums {
    private SpecEnums() {}

    public static <E extends Enum<E>> E parse(String key, String value, Class<E> type) {
        String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new SpecException(key + " must be one of " + allowed(type) + "; got '" + value + "'");
    }

    public static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(SpecEnums::name).collect(Collectors.joining(", "));
    }
}
