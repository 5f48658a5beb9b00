/**
 * What a sweep reports, as plain Java: its results table (CSV here; the sweep job writes the same rows as Parquet)
 * and {@code report.html}, one self-contained page with the leaderboard and inline SVG charts. No Spark.
 */
package io.trainyard.report;
