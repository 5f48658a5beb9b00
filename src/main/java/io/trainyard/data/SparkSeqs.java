package io.trainyard.data;

import java.util.Arrays;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Scala sequences for the few Spark Java APIs that take only a {@code Seq}. */
final class SparkSeqs {
    private SparkSeqs() {}

    static Seq<String> of(String... values) {
        return JavaConverters.asScalaBuffer(Arrays.asList(values)).toSeq();
    }
}
