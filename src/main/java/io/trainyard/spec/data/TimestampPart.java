package io.trainyard.spec.data;

/** The numeric parts a timestamp or date feature is expanded into (Spark's functions of the same names). */
public enum TimestampPart {
    HOUR,
    MINUTE,
    DAY_OF_WEEK,
    DAY_OF_MONTH,
    DAY_OF_YEAR,
    MONTH,
    YEAR
}
