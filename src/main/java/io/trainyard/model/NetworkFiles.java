package io.trainyard.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainyard.run.Json;
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
import org.nd4j.linalg.api.buffer.DataType;
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
    private static final Set<String> ENTRIES = Set.of(
            ModelSerializer.CONFIGURATION_JSON,
            ModelSerializer.COEFFICIENTS_BIN,
            ModelSerializer.NO_PARAMS_MARKER,
            ModelSerializer.UPDATER_BIN);
    private static final List<String> ALLOWED_PACKAGES = List.of(
            "org.deeplearning4j.nn.conf.",
            "org.deeplearning4j.nn.weights.",
            "org.nd4j.linalg.activations.",
            "org.nd4j.linalg.lossfunctions.",
            "org.nd4j.linalg.learning.config.",
            "org.nd4j.linalg.learning.regularization.",
            "org.nd4j.linalg.schedule.",
            "io.trainyard.model.");
    /** Zip entries larger than this are refused before they are read (a network of 500M floats is 2 GB). */
    private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;

    private static final long MAX_CONFIGURATION_BYTES = 16L << 20;
    private static final int MAX_STATE_PER_PARAMETER = 3;
    /** An array entry's headers and shape buffer: two short strings, two lengths, at most 68 longs. */
    private static final long ARRAY_HEADER_BYTES = 4096;
    /** A shape buffer holds 2 x rank + 4 values; ND4J's rank is at most 32. */
    private static final long MAX_SHAPE_INFO = 2 * 32 + 4;

    private NetworkFiles() {}

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
        return read(zip, withUpdater, source, -1);
    }

    /**
     * As {@link #read(InputStream, boolean, String)}, for a network said to have {@code parameters} parameters (a
     * model manifest's count; -1 when unknown): each zip entry is refused as soon as it decompresses to more than such
     * a network's entry can hold, so a small zip cannot expand into gigabytes.
     */
    public static MultiLayerNetwork read(InputStream zip, boolean withUpdater, String source, long parameters)
            throws IOException {
        Map<String, byte[]> entries = entries(zip, source, parameters);
        byte[] json = entries.get(ModelSerializer.CONFIGURATION_JSON);
        if (json == null
                || !(entries.containsKey(ModelSerializer.COEFFICIENTS_BIN)
                        || entries.containsKey(ModelSerializer.NO_PARAMS_MARKER))) {
            throw new RefusedException(source + " holds no network (configuration.json and coefficients.bin)");
        }
        String configuration = new String(json, StandardCharsets.UTF_8);
        checkClasses(tree(configuration, source), source);
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configuration);
        long configured = parameterCount(conf);
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        // The parameters and the network's own copy of them (and, training, as much again) live off-heap.
        if (limit > 0 && configured * Float.BYTES * 2 > limit) {
            throw new RefusedException(source + " configures " + configured + " parameters, more than this JVM's "
                    + "off-heap limit (" + (limit >> 20) + " MiB) can hold; refusing to load it");
        }
        byte[] coefficients = entries.get(ModelSerializer.COEFFICIENTS_BIN);
        checkArray(coefficients, configured, source, ModelSerializer.COEFFICIENTS_BIN);
        checkArray(
                withUpdater ? entries.get(ModelSerializer.UPDATER_BIN) : null, -1, source, ModelSerializer.UPDATER_BIN);
        INDArray params = array(coefficients);
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

    private static JsonNode tree(String configuration, String source) throws RefusedException {
        try {
            // Json.MAPPER refuses a repeated key: Jackson would otherwise keep the last value while DL4J's reader
            // builds
            // from the first, so two @class keys would pass the class check with one and be built with the other.
            return Json.MAPPER.readTree(configuration);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RefusedException(source + ": configuration.json is not JSON Trainyard reads ("
                    + e.getOriginalMessage() + "); refusing to load it");
        }
    }

    /** The number of parameters a configuration defines, computed without allocating them. */
    public static long parameterCount(MultiLayerConfiguration conf) {
        long total = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            var layer = conf.getConf(i).getLayer();
            total += layer.initializer().numParams(layer);
        }
        return total;
    }

    private static Map<String, byte[]> entries(InputStream zip, String source, long parameters) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!ENTRIES.contains(entry.getName()) || entries.containsKey(entry.getName())) {
                    throw new RefusedException(source + " contains '" + entry.getName() + "'"
                            + (entries.containsKey(entry.getName())
                                    ? " twice"
                                    : ", which a Trainyard network never holds")
                            + "; refusing to load it");
                }
                long limit = entryLimit(entry.getName(), parameters);
                byte[] bytes = in.readNBytes((int) limit);
                if (in.read() != -1) {
                    throw new RefusedException(source + ": entry '" + entry.getName() + "' is larger than " + limit
                            + " bytes; refusing to load it");
                }
                entries.put(entry.getName(), bytes);
            }
        }
        return entries;
    }

    /** The most bytes an entry of a network with {@code parameters} parameters (-1: unknown) can hold. */
    private static long entryLimit(String name, long parameters) {
        if (name.equals(ModelSerializer.CONFIGURATION_JSON)) {
            return MAX_CONFIGURATION_BYTES;
        }
        if (parameters < 0 || parameters > MAX_ENTRY_BYTES / Double.BYTES / MAX_STATE_PER_PARAMETER) {
            return MAX_ENTRY_BYTES;
        }
        // Values of at most 8 bytes: the parameters, or up to three optimiser values per parameter (AMSGrad).
        int perParameter = name.equals(ModelSerializer.UPDATER_BIN) ? MAX_STATE_PER_PARAMETER : 1;
        return parameters * Double.BYTES * perParameter + ARRAY_HEADER_BYTES;
    }

    /**
     * Refuses an array entry whose headers declare more values than its bytes hold, or another count than
     * {@code expected} (when not -1): ND4J's reader allocates whatever a header declares before reading.
     */
    static void checkArray(byte[] bytes, long expected, String source, String entry) throws RefusedException {
        if (bytes == null || bytes.length == 0) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long[] shape = header(in, true);
            if (shape[0] > MAX_SHAPE_INFO) {
                throw new RefusedException(source + ": entry '" + entry + "' declares a shape of " + shape[0]
                        + " values; refusing to load it");
            }
            in.skipNBytes(shape[0] * shape[1]);
            long[] data = header(in, false);
            if (data[0] > in.available() / data[1]) {
                throw new RefusedException(source + ": entry '" + entry + "' declares " + data[0] + " values but holds "
                        + in.available() + " bytes; refusing to load it");
            }
            if (expected >= 0 && data[0] != expected) {
                throw new RefusedException(source + ": entry '" + entry + "' declares " + data[0] + " values but the "
                        + "configuration has " + expected + " parameters; refusing to load it");
            }
        } catch (RefusedException e) {
            throw e;
        } catch (java.io.EOFException | IllegalArgumentException e) {
            throw new RefusedException(source + ": entry '" + entry + "' is not an ND4J array; refusing to load it");
        } catch (IOException e) {
            throw new RefusedException(source + ": entry '" + entry + "' cannot be read: " + e.getMessage());
        }
    }

    /** One buffer header as ND4J writes it: allocation mode, length, data type; returns {length, bytes per value}. */
    private static long[] header(DataInputStream in, boolean shape) throws IOException {
        var mode = org.nd4j.linalg.api.buffer.DataBuffer.AllocationMode.valueOf(in.readUTF());
        long length = mode.ordinal() < 3 ? in.readInt() : in.readLong();
        DataType type = DataType.valueOf(in.readUTF());
        boolean allowed = shape
                ? type == DataType.LONG || type == DataType.INT
                : type == DataType.FLOAT
                        || type == DataType.DOUBLE
                        || type == DataType.HALF
                        || type == DataType.BFLOAT16;
        if (!allowed || length < 0) {
            throw new IllegalArgumentException("type " + type + ", length " + length);
        }
        return new long[] {length, type.width()};
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
