/**
 * What runs report, as plain Java: a sweep's results table (CSV here; the sweep job writes the same rows as Parquet),
 * and {@code report.html} pages for runs and sweeps: self-contained HTML with inline SVG charts, no script, nothing
 * fetched. Jobs hand in the figures' numbers; no Spark here.
 */
package io.trainyard.report;
