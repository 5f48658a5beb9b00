package io.trainyard.sweep;

/** Every trial of a sweep failed or diverged: there is no model to publish (exit code 3). */
public final class NoTrialSucceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoTrialSucceededException(String message) {
        super(message);
    }
}
