/**
 * Synthetic Parquet datasets with known best achievable scores (Bayes accuracy, irreducible error), generated on
 * Spark so that any size is cheap: the quickstart's sample data, the tests' data and the benchmarks' data.
 */
package io.trainyard.generate;
