package io.trainyard.job;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The content of {@code run.json}: the resolved spec (feedable back as a spec) and where the run came from, with
 * secrets redacted ({@link Secrets}; credentials belong in Spark's and Hadoop's settings, not in a spec).
 */
public final class Provenance {
    private Provenance() {}

    /**
     * Writes what every run directory starts with, before any training: {@code run.json} (this provenance) and the
     * data artifacts ({@code data/feature-plan.json}, {@code split.json}, {@code normalizer.json}).
     */
    public static void record(RunDirectory run, JobSpec spec, PreparedData data, SparkSession spark) {
        record(run, spec, data, spark, Map.of());
    }

    /** As {@link #record(RunDirectory, JobSpec, PreparedData, SparkSession)}, with the seeds a model family derives. */
    public static void record(
            RunDirectory run, JobSpec spec, PreparedData data, SparkSession spark, Map<String, Long> familySeeds) {
        run.writeJson(RunFiles.RUN_JSON, of(spec, data.source(), spark, familySeeds));
        DataArtifacts.write(run, data);
    }

    public static Map<String, Object> of(
            JobSpec spec, SourceData source, SparkSession spark, Map<String, Long> familySeeds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", spec.name());
        out.put("trainyard_version", io.trainyard.run.Version.of());
        out.put("created", Instant.now().toString());
        out.put("spec", Secrets.redact(parse(spec.renderJson())));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", Secrets.redact(source.path()));
        data.put("files", source.files().size());
        data.put("bytes", source.bytes());
        data.put("fingerprint", source.fingerprint());
        out.put("data", data);
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("split.seed", spec.split().seed());
        seeds.put("split-hash", Seeds.derive(spec.split().seed(), "split"));
        seeds.put("row-order", Seeds.derive(spec.split().seed(), "order"));
        seeds.put("row-order-ties", Seeds.derive(spec.split().seed(), "order-tie"));
        seeds.put("model.seed", spec.model().seed());
        seeds.put("training-master", Seeds.derive(spec.model().seed(), "training-master"));
        seeds.putAll(familySeeds);
        JsonNode sweepSeed = parse(spec.renderJson()).path("sweep").path("seed");
        if (sweepSeed.isNumber()) {
            seeds.put("sweep.seed", sweepSeed.asLong());
        }
        out.put("seeds", seeds);
        Map<String, String> sparkConf = new TreeMap<>();
        for (Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
            sparkConf.put(kv._1(), Secrets.redact(kv._1(), kv._2()));
        }
        Map<String, Object> sparkInfo = new LinkedHashMap<>();
        sparkInfo.put("version", spark.version());
        sparkInfo.put("master", spark.sparkContext().master());
        sparkInfo.put("default_parallelism", spark.sparkContext().defaultParallelism());
        sparkInfo.put("conf", sparkConf);
        out.put("spark", sparkInfo);
        out.put("java", System.getProperty("java.version"));
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
