package io.trainyard.data.source;

import java.util.Arrays;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Scala sequences for the few Spark Java APIs that take only a {@code Seq}. */
public final class SparkSeqs {
    private SparkSeqs() {}

    public static Seq<String> of(String... values) {
        return JavaConverters.asScalaBuffer(Arrays.asList(values)).toSeq();
    }
}
