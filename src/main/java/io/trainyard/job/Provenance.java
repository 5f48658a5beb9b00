package io.trainyard.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.artifact.RunProvenance;
import io.trainyard.data.DataArtifacts;
import io.trainyard.data.PreparedData;
import io.trainyard.data.source.SourceData;
import io.trainyard.run.Json;
import io.trainyard.run.RunDirectory;
import io.trainyard.run.RunFiles;
import io.trainyard.run.Secrets;
import io.trainyard.spec.JobSpec;
import io.trainyard.spec.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The content of {@code run.json} and of a model's provenance ({@link RunProvenance}): the resolved spec (feedable back as a spec) and where the run came from, with
 * secrets redacted ({@link Secrets}; credentials belong in Spark's and Hadoop's settings, not in a spec).
 */
public final class Provenance {
    private Provenance() {}

    /**
     * Writes what every run directory starts with, before any training: {@code run.json} (this provenance) and the
     * data artifacts ({@code data/feature-plan.json}, {@code split.json}, {@code normalizer.json}); returns the
     * provenance, which the run's model carries too.
     *
     * @param familySeeds the seeds the spec's model family derives beyond the training master's
     */
    public static RunProvenance record(
            RunDirectory run, JobSpec spec, PreparedData data, SparkSession spark, Map<String, Long> familySeeds) {
        RunProvenance provenance = of(spec, data.source(), spark, familySeeds);
        run.writeJson(RunFiles.RUN_JSON, provenance);
        DataArtifacts.write(run, data);
        return provenance;
    }

    static RunProvenance of(JobSpec spec, SourceData source, SparkSession spark, Map<String, Long> familySeeds) {
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("split.seed", spec.split().seed());
        seeds.put("split-hash", Seeds.derive(spec.split().seed(), "split"));
        seeds.put("row-order", Seeds.derive(spec.split().seed(), "order"));
        seeds.put("row-order-ties", Seeds.derive(spec.split().seed(), "order-tie"));
        seeds.put("model.seed", spec.model().seed());
        seeds.put("training-master", Seeds.derive(spec.model().seed(), "training-master"));
        seeds.putAll(familySeeds);
        JsonNode resolved = parse(spec.renderJson());
        JsonNode sweepSeed = resolved.path("sweep").path("seed");
        if (sweepSeed.isNumber()) {
            seeds.put("sweep.seed", sweepSeed.asLong());
        }
        Map<String, String> sparkConf = new TreeMap<>();
        for (Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
            sparkConf.put(kv._1(), Secrets.redact(kv._1(), kv._2()));
        }
        return new RunProvenance(
                spec.name(),
                io.trainyard.run.Version.of(),
                Instant.now().toString(),
                Secrets.redact(resolved),
                new RunProvenance.Data(
                        Secrets.redact(source.path()), source.files().size(), source.bytes(), source.fingerprint()),
                seeds,
                new RunProvenance.Spark(
                        spark.version(),
                        spark.sparkContext().master(),
                        spark.sparkContext().defaultParallelism(),
                        sparkConf),
                System.getProperty("java.version"));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
