/**
 * Job specs: immutable records validated on construction, loaded with Typesafe Config from a HOCON job file layered
 * over {@code conf/defaults.conf} and {@code --set} overrides. Every error names the key and the bad value.
 * No Spark here.
 */
package io.trainyard.spec;
