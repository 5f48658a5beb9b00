/**
 * One {@link io.trainyard.family.ModelFamily} per kind of model above the training loop (networks over tables,
 * images and series; GANs): each builds its networks, trains a run or a sweep trial, checkpoints a trial, tests once
 * and publishes its model, metrics and report. Jobs and sweep trials ask {@link io.trainyard.family.ModelFamily#of}
 * for the spec's family instead of testing the model type themselves; a new kind of model adds one class here.
 */
package io.trainyard.family;
