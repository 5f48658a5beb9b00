package io.trainyard.run;

/**
 * A problem the user can fix in the spec or the data: reported as one line, exit code 2, nothing trained.
 * The message must name the key, file, column or class at fault.
 */
public class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Marks messages of checks that run inside Spark SQL, so they can be told from Spark's own failures. */
    private static final String SQL_CHECK = "trainyard-check: ";

    /** A Spark SQL expression that fails the query with {@code message}; {@link #raisedInSql} recognises it. */
    public static String sqlRaise(String message) {
        return "raise_error('" + (SQL_CHECK + message).replace("\\", "\\\\").replace("'", "\\'") + "')";
    }

    /** The check that failed a Spark job, if a {@link #sqlRaise} expression did; else null. */
    public static UserInputException raisedInSql(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(SQL_CHECK);
            if (at >= 0) {
                String rest = m.substring(at + SQL_CHECK.length());
                int end = rest.indexOf('\n');
                return new UserInputException((end < 0 ? rest : rest.substring(0, end)).strip(), failure);
            }
        }
        return null;
    }
}
