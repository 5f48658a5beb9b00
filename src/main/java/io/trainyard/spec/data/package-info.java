/** The {@code data} and {@code split} sections of a job spec: source, label, features, nulls, normalisation, series windows, the split and the task. */
package io.trainyard.spec.data;
