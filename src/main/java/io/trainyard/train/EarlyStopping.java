package io.trainyard.train;

import io.trainyard.spec.train.EarlyStoppingSpec;
import io.trainyard.spec.train.StoppingMetric;

/**
 * Tracks the best epoch by a validation metric and says when to stop: after {@code patience} epochs without an
 * improvement greater than {@code minDelta}. Pure logic.
 */
public final class EarlyStopping {
    private final StoppingMetric metric;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int sinceBest;

    public EarlyStopping(EarlyStoppingSpec spec) {
        this(spec, StoppingMetric.LOSS);
    }

    /** @param whenAuto the metric {@code auto} stands for (the validation loss; a GAN's MMD) */
    public EarlyStopping(EarlyStoppingSpec spec, StoppingMetric whenAuto) {
        this.metric = spec.metric() == StoppingMetric.AUTO ? whenAuto : spec.metric();
        this.patience = spec.patience();
        this.minDelta = spec.minDelta();
    }

    /** Records an epoch's metric; true when it is the new best (the caller keeps its parameters). */
    public boolean record(int epoch, double value) {
        boolean improved =
                bestEpoch < 0 || (metric.higherIsBetter() ? value > best + minDelta : value < best - minDelta);
        if (improved) {
            best = value;
            bestEpoch = epoch;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        return improved;
    }

    public boolean shouldStop() {
        return patience > 0 && sinceBest >= patience;
    }

    public int patience() {
        return patience;
    }

    public StoppingMetric metric() {
        return metric;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
