package io.trainyard.spec.data;

/** The numeric parts a timestamp or date feature is expanded into; each names the Spark SQL function used. */
public enum TimestampPart {
    HOUR("hour"),
    MINUTE("minute"),
    DAY_OF_WEEK("dayofweek"),
    DAY_OF_MONTH("dayofmonth"),
    DAY_OF_YEAR("dayofyear"),
    MONTH("month"),
    YEAR("year");

    private final String sqlFunction;

    TimestampPart(String sqlFunction) {
        this.sqlFunction = sqlFunction;
    }

    public String sqlFunction() {
        return sqlFunction;
    }
}
