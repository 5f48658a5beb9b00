/**
 * The train / validation / test split: exact stratified counts ({@link io.trainyard.data.split.SplitPlanner}, pure
 * arithmetic, no Spark), their assignment by seeded hashes of the split key, duplicate-key groups placed whole, and
 * the user's own split by column or in time order. Uses only {@code data.source} below it.
 */
package io.trainyard.data.split;
