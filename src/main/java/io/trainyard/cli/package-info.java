/**
 * The picocli command line: each command parses, loads the spec, calls one service and maps the outcome to an exit
 * code ({@link io.trainyard.run.ExitCode}). {@link io.trainyard.cli.Main} is the only place that exits the JVM.
 */
package io.trainyard.cli;
