package io.trainyard.sweep;

/** Trains one trial (on Spark, or a stand-in in tests) and reports its outcome; must be safe to call from threads. */
public interface TrialRunner {
    TrialOutcome run(TrialPlan plan) throws InterruptedException;
}
