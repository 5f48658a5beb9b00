package io.trainyard.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainyard.artifact.ModelArtifact;
import io.trainyard.run.Json;
import io.trainyard.run.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the untrusted-input tests do to a model directory as an attacker would: copy it, edit it, re-checksum it. */
public final class ModelFiles {
    private ModelFiles() {}

    /** A copy of the model directory {@code from} at {@code to} (created). */
    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** {@code model.json} as a tree, to edit. */
    public static ObjectNode manifest(Path modelDir) throws IOException {
        return (ObjectNode)
                Json.MAPPER.readTree(modelDir.resolve(ModelArtifact.MANIFEST).toFile());
    }

    /** What an attacker does after editing {@code file}: recompute its checksum in {@code model.json}. */
    public static void rehash(Path modelDir, String file) throws IOException {
        ObjectNode manifest = manifest(modelDir);
        ((ObjectNode) manifest.get("sha256")).put(file, Sha256.hex(Files.readAllBytes(modelDir.resolve(file))));
        Files.writeString(modelDir.resolve(ModelArtifact.MANIFEST), Json.write(manifest));
    }
}
