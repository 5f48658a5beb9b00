/**
 * The jobs a command runs: train, sweep, prepare, predict and export; each prepares data, trains or loads through the
 * spec's model family, and publishes a run directory ({@code run.json} with the provenance of every seed,
 * {@code data/}, {@code model/}, {@code metrics.json}, {@code _SUCCESS} last).
 */
package io.trainyard.job;
