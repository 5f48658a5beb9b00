package io.trainyard.testing;

import io.trainyard.run.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** One local Spark session per test JVM (Spark allows one context per JVM; starting it costs seconds). */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            System.setProperty("spark.master", System.getProperty("spark.master", "local[2]"));
            System.setProperty("spark.ui.enabled", "false");
            System.setProperty("spark.sql.shuffle.partitions", "4");
            System.setProperty("spark.ui.showConsoleProgress", "false");
            session = SparkSessions.start("trainyard-tests");
        }
        return session;
    }
}
