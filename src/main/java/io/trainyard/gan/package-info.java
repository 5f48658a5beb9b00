/**
 * The GAN: its engine and round (the discriminator and the generator stack averaged together), its epoch loop, MMD
 * evaluation of generated against real rows, and the state a run or a checkpoint carries. Uses
 * {@code train.averaging}, {@code train}, {@code model}, {@code data}, {@code spec}.
 */
package io.trainyard.gan;
