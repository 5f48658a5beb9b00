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
}
