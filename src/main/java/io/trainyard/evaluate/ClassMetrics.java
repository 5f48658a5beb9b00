package io.trainyard.evaluate;

/** Precision, recall and F1 of one class, and how many rows truly belong to it. */
public record ClassMetrics(String name, double precision, double recall, double f1, long support) {}
