package io.trainyard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a network zip as {@link ModelSerializer} writes it, admitting only what a Trainyard network needs. DL4J's own
 * reader deserialises a {@code preprocessor.bin} entry with plain Java serialisation (a zip from elsewhere could run
 * code) and its configuration names classes for Jackson to build: here any other entry is refused, and every class
 * the configuration names must come from the packages of layers, activations, losses, updaters, schedules, weight
 * initialisations and dropout, checked before the configuration is deserialised.
 */
public final class NetworkFiles {
    private static final Set<String> ENTRIES = Set.of(ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.NO_PARAMS_MARKER, ModelSerializer.UPDATER_BIN);
    private static final List<String> ALLOWED_PACKAGES = List.of("org.deeplearning4j.nn.conf.", "org.deeplearning4j.nn.weights.",
            "org.nd4j.linalg.activations.", "org.nd4j.linalg.lossfunctions.", "org.nd4j.linalg.learning.config.",
            "org.nd4j.linalg.schedule.", "io.trainyard.model.");
    /** Zip entries larger than this are refused before they are read (a network of 500M floats is 2 GB). */
    private static final long MAX_ENTRY_BYTES = 1L << 31;
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkFiles() {
    }

    /** Thrown for a zip that is not a Trainyard network; the message names the entry or class at fault. */
    public static final class RefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * Reads a network; its updater state too when {@code withUpdater} (a checkpoint to continue training from).
     * {@code source} names the file in messages.
     */
    public static MultiLayerNetwork read(InputStream zip, boolean withUpdater, String source) throws IOException {
        Map<String, byte[]> entries = entries(zip, source);
        byte[] json = entries.get(ModelSerializer.CONFIGURATION_JSON);
        if (json == null || !(entries.containsKey(ModelSerializer.COEFFICIENTS_BIN)
                || entries.containsKey(ModelSerializer.NO_PARAMS_MARKER))) {
            throw new RefusedException(source + " holds no network (configuration.json and coefficients.bin)");
        }
        String configuration = new String(json, StandardCharsets.UTF_8);
        checkClasses(JSON.readTree(configuration), source);
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configuration);
        INDArray params = array(entries.get(ModelSerializer.COEFFICIENTS_BIN));
        if (params != null) {
            conf.setDataType(params.dataType());
        }
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init(params, false);
        INDArray updater = withUpdater ? array(entries.get(ModelSerializer.UPDATER_BIN)) : null;
        if (updater != null) {
            network.getUpdater().setStateViewArray(network, updater, false);
        }
        return network;
    }

    private static Map<String, byte[]> entries(InputStream zip, String source) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!ENTRIES.contains(entry.getName())) {
                    throw new RefusedException(source + " contains '" + entry.getName()
                            + "', which a Trainyard network never holds; refusing to load it");
                }
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_ENTRY_BYTES));
                if (in.read() != -1) {
                    throw new RefusedException(source + ": entry '" + entry.getName() + "' is larger than 2 GB");
                }
                entries.put(entry.getName(), bytes);
            }
        }
        return entries;
    }

    /** Refuses a configuration naming a class outside the allowed packages, or a type key other than {@code @class}. */
    static void checkClasses(JsonNode node, String source) throws RefusedException {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("@class")) {
                    String name = field.getValue().asText();
                    if (ALLOWED_PACKAGES.stream().noneMatch(name::startsWith)) {
                        throw new RefusedException(source + " names the class " + name
                                + ", which is not one a Trainyard network is built from; refusing to load it");
                    }
                } else if (field.getKey().startsWith("@")) {
                    throw new RefusedException(source + " has the type key '" + field.getKey()
                            + "', which a Trainyard network never uses; refusing to load it");
                }
                checkClasses(field.getValue(), source);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                checkClasses(element, source);
            }
        }
    }

    private static INDArray array(byte[] bytes) throws IOException {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        }
    }
}
