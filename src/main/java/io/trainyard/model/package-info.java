/**
 * Network design: the output head a task calls for and the factory that turns model and training specs into DL4J
 * configurations. No Spark.
 */
package io.trainyard.model;
