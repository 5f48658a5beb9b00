/**
 * The deployable model directory: {@code network.zip}, the feature plan and normaliser, {@code model.json} with the
 * checksum of every file, and the optional HMAC signature; published atomically and loaded only once every check
 * passes. Uses {@code evaluate} (the anomaly model it records), {@code model}, {@code data}, {@code run}.
 */
package io.trainyard.artifact;
