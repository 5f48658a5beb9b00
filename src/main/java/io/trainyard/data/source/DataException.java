package io.trainyard.data.source;

import io.trainyard.run.UserInputException;

/** Input data that cannot be used: the message names the file, column or class at fault. */
public final class DataException extends UserInputException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
