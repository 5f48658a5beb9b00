/** The {@code train} section of a job spec: optimiser, learning-rate schedule, early stopping and its metric, class weights, engine. */
package io.trainyard.spec.train;
