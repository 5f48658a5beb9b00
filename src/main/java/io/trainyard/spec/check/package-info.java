/**
 * The bottom of the spec layer: {@link io.trainyard.spec.check.SpecException}, the one-line refusal naming the key,
 * and the range and enum checks every spec record applies on construction.
 */
package io.trainyard.spec.check;
