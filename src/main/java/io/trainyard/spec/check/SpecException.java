package io.trainyard.spec.check;

import io.trainyard.run.UserInputException;

/** A job spec that cannot run: the message names the key and the bad value. */
public final class SpecException extends UserInputException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
