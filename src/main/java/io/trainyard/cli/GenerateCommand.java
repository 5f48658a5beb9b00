package io.trainyard.cli;

import io.trainyard.generate.DatasetGenerator;
import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.run.ExitCode;
import io.trainyard.run.SparkSessions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trainyard generate DATASET --out DIR}: writes a synthetic Parquet dataset with a known optimum. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Write a generated Parquet dataset with a known best score (its optimum is saved beside it in _dataset.json).")
final class GenerateCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "DATASET",
            description =
                    "classification | regression | prices | shapes | wide | seasonal | trend | imbalanced | manifold"
                            + " | mixture | climb | tabular | texts")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New directory to write")
    Path out;

    @Option(names = "--rows", defaultValue = "100000", description = "Rows to generate (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        DatasetGenerator generator = Generators.byName(dataset);
        SparkSession spark = SparkSessions.start("trainyard-generate");
        long start = System.nanoTime();
        GenerateJob.run(spark, generator, out, rows, seed);
        System.out.printf(
                "wrote %,d rows of '%s' to %s in %.1f s (%s)%n",
                rows, generator.name(), out, (System.nanoTime() - start) / 1e9, generator.description());
        return ExitCode.OK;
    }
}
