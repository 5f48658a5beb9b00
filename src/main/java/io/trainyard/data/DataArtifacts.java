package io.trainyard.data;

import io.trainyard.run.RunDirectory;

/** Writes what preparation learned into a run directory's {@code data/} folder as readable JSON. */
public final class DataArtifacts {
    public static final String FEATURE_PLAN = "data/feature-plan.json";
    public static final String SPLIT = "data/split.json";
    public static final String NORMALIZER = "data/normalizer.json";

    private DataArtifacts() {}

    public static void write(RunDirectory run, PreparedData prepared) {
        run.writeJson(FEATURE_PLAN, prepared.plan());
        run.writeJson(SPLIT, prepared.manifest());
        run.writeJson(NORMALIZER, prepared.normalizer());
    }
}
