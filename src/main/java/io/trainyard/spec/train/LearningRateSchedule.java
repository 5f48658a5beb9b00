package io.trainyard.spec.train;

import io.trainyard.spec.check.Checks;
import java.util.List;

/**
 * How the learning rate changes from epoch to epoch ({@code train.schedule} and its keys). After {@code warmupEpochs}
 * epochs rising linearly to the base rate, with {@code j} the epochs since the warm-up:
 * <ul>
 *   <li>{@code none}: the base rate;</li>
 *   <li>{@code step}: times {@code factor} every {@code stepEpochs} epochs: {@code base * factor^floor(j / stepEpochs)};</li>
 *   <li>{@code exponential}: {@code base * decay^j};</li>
 *   <li>{@code cosine}: from the base rate down towards {@code minRate} over {@code cosineEpochs} epochs:
 *       {@code min + (base - min) * (1 + cos(pi * j / cosineEpochs)) / 2};</li>
 *   <li>{@code plateau}: times {@code factor} whenever the early-stopping metric has not improved for
 *       {@code patience} epochs (then the count starts again).</li>
 * </ul>
 * No rate goes below {@code minRate}. Each epoch's rate depends only on the spec and the epochs before it, so a
 * continued run (a checkpointed trial) uses the rates an unbroken one would.
 *
 * @param cosineEpochs epochs the cosine spans after the warm-up; 0 = {@code train.epochs} minus the warm-up
 */
public record LearningRateSchedule(
        Type type,
        int warmupEpochs,
        int stepEpochs,
        double factor,
        double decay,
        int patience,
        int cosineEpochs,
        double minRate) {
    /** The schedule's shape. */
    public enum Type {
        NONE,
        STEP,
        EXPONENTIAL,
        COSINE,
        PLATEAU
    }

    public LearningRateSchedule {
        Checks.atLeast("train.warmup-epochs", warmupEpochs, 0);
        Checks.positive("train.schedule-step", stepEpochs);
        Checks.openUnit("train.schedule-factor", factor);
        Checks.openUnit("train.schedule-decay", decay);
        Checks.positive("train.plateau-patience", patience);
        Checks.atLeast("train.cosine-epochs", cosineEpochs, 0);
        Checks.nonNegative("train.min-learning-rate", minRate);
    }

    /** Whether the rate ever differs from the base rate. */
    public boolean enabled() {
        return type != Type.NONE || warmupEpochs > 0;
    }

    /**
     * The learning rate of epoch {@code epoch} (from 1).
     *
     * @param epochs   {@code train.epochs}
     * @param improved for each epoch before this one, whether it improved the early-stopping metric (plateau only)
     */
    public double rate(double base, int epoch, int epochs, List<Boolean> improved) {
        int i = epoch - 1;
        if (i < warmupEpochs) {
            return Math.max(minRate, base * (i + 1) / (warmupEpochs + 1));
        }
        int j = i - warmupEpochs;
        double rate = switch (type) {
            case NONE -> base;
            case STEP -> base * Math.pow(factor, j / stepEpochs);
            case EXPONENTIAL -> base * Math.pow(decay, j);
            case COSINE -> {
                int span = cosineEpochs > 0 ? cosineEpochs : Math.max(1, epochs - warmupEpochs);
                yield minRate + (base - minRate) * (1 + Math.cos(Math.PI * Math.min(j, span) / span)) / 2;
            }
            case PLATEAU -> {
                double r = base;
                int since = 0;
                for (int k = warmupEpochs; k < i && k < improved.size(); k++) {
                    since = improved.get(k) ? 0 : since + 1;
                    if (since >= patience) {
                        r *= factor;
                        since = 0;
                    }
                }
                yield r;
            }
        };
        return Math.max(minRate, rate);
    }
}
