/**
 * The benchmark behind {@code trainyard bench}: every figure measured side by side in one run and reported as a
 * ratio to its reference (single-JVM DL4J fit, DL4J's master, the machine's matrix-multiply rate).
 */
package io.trainyard.bench;
