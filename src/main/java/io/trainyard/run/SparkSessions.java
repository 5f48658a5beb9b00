package io.trainyard.run;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark session for a command. The master comes from the environment (spark-submit, or the launcher's
 * {@code --master}), never from code. Settings DL4J cannot work without are filled in when absent: they must be in
 * the conf before the context starts, or Spark silently ignores them.
 */
public final class SparkSessions {
    public static final String ND4J_REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";
    static final String VARIABLE_SUBSTITUTION = "spark.sql.variable.substitute";
    /** The system property naming the launcher's Spark properties file. */
    static final String PROPERTIES_FILE = "trainyard.spark-properties";

    private SparkSessions() {}

    public static SparkSession start(String appName) {
        SparkConf conf = withPropertiesFile(new SparkConf(true), System.getProperty(PROPERTIES_FILE));
        if (!conf.contains("spark.master")) {
            throw new UserInputException(
                    "no Spark master: pass --master (the ./trainyard launcher defaults to local[*]) "
                            + "or run through spark-submit");
        }
        Preflight.checkSettings(withRequiredSettings(conf, appName));
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * The {@code spark.*} settings of the launcher's {@code --spark-properties} file, under those already set (by
     * {@code -D} options, which take precedence as they did on the command line). The launcher passes the file's
     * name, not its values: a value on a JVM's command line is readable by any local user.
     */
    static SparkConf withPropertiesFile(SparkConf conf, String file) {
        if (file == null) {
            return conf;
        }
        java.util.Properties properties = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
            properties.load(in);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UserInputException("--spark-properties: cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("spark.")) {
                conf.setIfMissing(key, properties.getProperty(key).strip());
            }
        }
        return conf;
    }

    public static SparkConf withRequiredSettings(SparkConf conf, String appName) {
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", ND4J_REGISTRATOR);
        // Concurrent sweep trials each run in a pool of their own and share the executors fairly; a single run has
        // one pool, where fair and FIFO scheduling are the same. Spark reads the mode only when the context starts.
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        // Timestamp parts (hour, day of week) must not depend on the machine's time zone.
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        // HotSpot never compiles a method of more than 8,000 bytecode bytes. Spark's default limit (64 KB) lets a
        // whole-stage method of a few dozen inputs grow past that and run in the bytecode interpreter: a pass over
        // 1M rows of 64 columns took 14-20 s. At 8,000 such a stage falls back to per-operator code (3.3 s).
        conf.setIfMissing("spark.sql.codegen.hugeMethodLimit", "8000");
        // Spark expands ${env:X}, ${system:X} and ${spark:X} in SQL text before parsing it: a name from a spec, a
        // model or a Parquet schema could bring in a secret or SQL of its own after Trainyard checked it. Set, not
        // set-if-missing: no properties file may turn it back on.
        conf.set(VARIABLE_SUBSTITUTION, "false");
        return conf;
    }

    /**
     * Turns Spark's variable substitution off on a session Trainyard was handed (the library API's, spark-submit's),
     * where {@link #withRequiredSettings} did not build the conf. A runtime SQL setting: it takes effect at once.
     */
    public static SparkSession withoutSubstitution(SparkSession spark) {
        spark.conf().set(VARIABLE_SUBSTITUTION, "false");
        return spark;
    }
}
