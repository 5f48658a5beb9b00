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

    /**
     * {@code message} marked as a check Trainyard itself runs inside Spark SQL (the argument of a {@code raise_error}
     * column Trainyard builds); {@link #raisedInSql} recognises it. Users' SQL may not call {@code raise_error}, so the
     * mark cannot be forged from a spec or a model.
     */
    public static String sqlCheckMessage(String message) {
        return SQL_CHECK + message;
    }

    /** The check that failed a Spark job, if a {@link #sqlCheckMessage} column did; else null. */
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
