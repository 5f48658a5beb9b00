/**
 * Job specs: {@link io.trainyard.spec.JobSpec} and its loading with Typesafe Config from a HOCON job file layered
 * over {@code conf/defaults.conf} and {@code --set} overrides, plus the derived seeds. The sections' records are in
 * the subpackages below, immutable and validated on construction; every error names the key and the bad value. No
 * Spark here.
 */
package io.trainyard.spec;
