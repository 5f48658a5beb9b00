package io.trainyard.generate;

import java.io.Serializable;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A synthetic dataset whose best achievable score is known, so tests can hold training to it. Each row is a pure
 * function of (seed, row id): the same rows whatever the partitioning.
 */
public interface DatasetGenerator extends Serializable {
    String name();

    String description();

    StructType schema();

    Row row(long id, SplittableRandom random);

    /** What the best possible model scores on this data (Bayes accuracy, irreducible MSE, ...), and how to read it. */
    Map<String, Object> optimum();
}
