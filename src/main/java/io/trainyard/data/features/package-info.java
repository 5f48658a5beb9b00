/**
 * From selected columns to model inputs: task and class inference, the null census, the feature plan, the staged
 * Spark transforms, and what is fitted on the train split only (vocabularies, impute values, the normaliser, target
 * scale). {@link io.trainyard.data.features.Normalizer} is pure arithmetic. Uses {@code data.split} (to carry the
 * split column) and {@code data.source}.
 */
package io.trainyard.data.features;
