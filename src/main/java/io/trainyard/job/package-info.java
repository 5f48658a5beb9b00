/**
 * The jobs a command runs: train, sweep, predict and the GAN's train; each prepares data, trains or loads, and
 * publishes a run directory ({@code run.json} with the provenance of every seed, {@code data/}, {@code model/},
 * {@code metrics.json}, {@code _SUCCESS} last). The only package that may use all of those below it.
 */
package io.trainyard.job;
