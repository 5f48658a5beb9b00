package io.trainyard.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of successive halving: {@code trials} new trials start at the first epoch budget; at each later budget the
 * best {@code trials / eta^i} (at least one) of the rung before go on. A bracket of one budget is a plain search.
 */
public record Bracket(int trials, List<Integer> budgets, int eta) {
    public Bracket {
        budgets = List.copyOf(budgets);
    }

    /** Every trial at {@code epochs}: grid or random search, TPE without a scheduler. */
    public static Bracket single(int trials, int epochs) {
        return new Bracket(trials, List.of(epochs), 2);
    }

    /** Successive halving from {@code minEpochs}, eta times the epochs per rung, up to {@code maxEpochs}. */
    public static Bracket halving(int trials, int minEpochs, int maxEpochs, int eta) {
        List<Integer> budgets = new ArrayList<>();
        for (long epochs = Math.min(minEpochs, maxEpochs); ; epochs = Math.min(maxEpochs, epochs * eta)) {
            budgets.add((int) epochs);
            if (epochs >= maxEpochs) {
                return new Bracket(trials, budgets, eta);
            }
        }
    }

    /**
     * Hyperband's brackets (Li et al. 2017, algorithm 1), with R = maxEpochs / minEpochs and s_max = floor(log_eta R):
     * bracket s (from s_max down to 0) starts ceil((s_max + 1) / (s + 1) * eta^s) trials at maxEpochs * eta^-s
     * epochs. The brackets repeat, as the paper's outer loop does, until {@code trials} trials have started; the last
     * bracket is cut to the trials left.
     */
    public static List<Bracket> hyperband(int trials, int minEpochs, int maxEpochs, int eta) {
        int sMax = hyperbandSMax(minEpochs, maxEpochs, eta);
        List<Bracket> brackets = new ArrayList<>();
        int left = trials;
        while (left > 0) {
            for (int s = sMax; s >= 0 && left > 0; s--) {
                int n = hyperbandTrials(sMax, s, eta);
                List<Integer> budgets = new ArrayList<>();
                for (int i = 0; i <= s; i++) {
                    budgets.add((int) Math.max(1, Math.round(maxEpochs * Math.pow(eta, i - s))));
                }
                brackets.add(new Bracket(Math.min(n, left), budgets, eta));
                left -= Math.min(n, left);
            }
        }
        return brackets;
    }

    /** The trials one round of Hyperband's brackets starts (143 for R = 81, eta = 3). */
    public static long hyperbandRound(int minEpochs, int maxEpochs, int eta) {
        int sMax = hyperbandSMax(minEpochs, maxEpochs, eta);
        // In long: a spec's max-epochs of 2^30 makes a round of billions of trials.
        long trials = 0;
        for (int s = sMax; s >= 0; s--) {
            trials += hyperbandTrials(sMax, s, eta);
        }
        return trials;
    }

    /** s_max = floor(log_eta(maxEpochs / minEpochs)), with a little slack for exact powers in floating point. */
    private static int hyperbandSMax(int minEpochs, int maxEpochs, int eta) {
        return (int) Math.floor(Math.log((double) maxEpochs / minEpochs) / Math.log(eta) + 1e-9);
    }

    /** The trials bracket s starts: ceil((s_max + 1) / (s + 1) * eta^s). */
    private static int hyperbandTrials(int sMax, int s, int eta) {
        return (int) Math.ceil((sMax + 1.0) / (s + 1) * Math.pow(eta, s) - 1e-9);
    }

    /** How many trials run at budget {@code rung}: all at the first, then the best trials / eta^rung, at least one. */
    public int survivors(int rung) {
        long divisor = 1;
        for (int i = 0; i < rung && divisor <= trials; i++) {
            divisor *= eta;
        }
        return Math.max(1, (int) (trials / divisor));
    }

    /** The trial runs and epochs of training this bracket holds if every trial succeeds. */
    Strategy.Work planned() {
        int runs = 0;
        long epochs = 0;
        int previous = 0;
        for (int i = 0; i < budgets.size(); i++) {
            runs += survivors(i);
            epochs += (long) survivors(i) * (budgets.get(i) - previous);
            previous = budgets.get(i);
        }
        return new Strategy.Work(runs, epochs);
    }
}
