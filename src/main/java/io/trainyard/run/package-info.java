/**
 * What every command shares about a run: the exit-code contract, the user-error type that maps to exit code 2,
 * the run directory that is written atomically (temp name, then rename; {@code _SUCCESS} last), and the work done
 * first when the process is terminated.
 */
package io.trainyard.run;
