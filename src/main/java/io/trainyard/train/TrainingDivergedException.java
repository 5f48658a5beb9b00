package io.trainyard.train;

/** Training produced a NaN or infinite loss or parameters: exit code 3, no model published. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
