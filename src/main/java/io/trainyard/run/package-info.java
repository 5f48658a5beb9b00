/**
 * What every command shares about a run: the exit-code contract, the user-error type that maps to exit code 2,
 * and the run directory that is written atomically (temp name, then rename; {@code _SUCCESS} last).
 */
package io.trainyard.run;
