package io.trainyard.spec;

/**
 * The validation metric that early stopping and sweeps watch; {@code auto} is the validation loss, or for a GAN the
 * MMD between generated and validation rows ({@code mmd}, the only one a GAN has).
 */
public enum StoppingMetric {
    AUTO(false), LOSS(false), ACCURACY(true), MACRO_F1(true), AUC(true), MSE(false), MAE(false), RMSE(false), R2(true), MMD(false);

    private final boolean higherIsBetter;

    StoppingMetric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public boolean forClassification() {
        return this == ACCURACY || this == MACRO_F1 || this == AUC;
    }

    public boolean forRegression() {
        return this == MSE || this == MAE || this == RMSE || this == R2;
    }
}
