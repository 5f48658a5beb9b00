package io.trainyard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.data.Task;
import io.trainyard.testing.TestSpecs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

class NetworkFilesTest {
    private static final String SOURCE = "model/network.zip";

    /** The zip ModelSerializer writes for a small network (with its updater state), entry by entry. */
    private static Map<String, byte[]> written(String... settings) throws IOException {
        List<String> all = new java.util.ArrayList<>(List.of("model.hidden=[4]"));
        all.addAll(List.of(settings));
        var spec = TestSpecs.spec("/x", "y", all.toArray(String[]::new));
        MultiLayerNetwork net = new MultiLayerNetwork(
                NetworkFactory.build(spec, 3, OutputHead.choose(Task.CLASSIFICATION, 2, spec.model())));
        net.init();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, out, true);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static ByteArrayInputStream zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static String refusal(Map<String, byte[]> entries) {
        return assertThrows(NetworkFiles.RefusedException.class, () -> NetworkFiles.read(zip(entries), false, SOURCE))
                .getMessage();
    }

    @Test
    void aNetworkModelSerializerWroteReadsBackWithItsParametersAndUpdaterState() throws IOException {
        Map<String, byte[]> entries = written();
        MultiLayerNetwork read = NetworkFiles.read(zip(entries), true, SOURCE);
        MultiLayerNetwork reference = ModelSerializer.restoreMultiLayerNetwork(zip(entries), true);
        assertEquals(reference.params(), read.params());
        assertEquals(
                reference.getUpdater().getStateViewArray(), read.getUpdater().getStateViewArray());
        assertEquals(reference.getLayerWiseConfigurations(), read.getLayerWiseConfigurations());
    }

    @Test
    void aNetworkWithL2AndDropoutReadsBack() throws IOException {
        // L2 is a class of its own in the configuration (org.nd4j.linalg.learning.regularization); a sweep over
        // model.l2 once failed to continue its trials from their checkpoints because the reader refused it.
        Map<String, byte[]> entries = written("model.l2=0.001", "model.dropout=0.2");
        assertTrue(new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8)
                .contains("L2Regularization"));
        MultiLayerNetwork read = NetworkFiles.read(zip(entries), true, SOURCE);
        assertEquals(
                ModelSerializer.restoreMultiLayerNetwork(zip(entries), true).getLayerWiseConfigurations(),
                read.getLayerWiseConfigurations());
    }

    @Test
    void anEntryATrainyardNetworkNeverHoldsIsRefusedBeforeAnythingIsRead() throws IOException {
        // DL4J's own reader would deserialise this entry with ObjectInputStream.
        Map<String, byte[]> entries = written();
        entries.put(ModelSerializer.PREPROCESSOR_BIN, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});
        assertEquals(
                SOURCE + " contains 'preprocessor.bin', which a Trainyard network never holds; refusing to load it",
                refusal(entries));
    }

    @Test
    void aConfigurationNamingAClassOutsideTheAllowedPackagesIsRefused() throws IOException {
        Map<String, byte[]> entries = written();
        String json = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8);
        assertTrue(json.contains("org.nd4j.linalg.activations.impl.ActivationReLU"), json);
        entries.put(
                ModelSerializer.CONFIGURATION_JSON,
                json.replaceFirst("org.nd4j.linalg.activations.impl.ActivationReLU", "com.example.Gadget")
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(
                SOURCE + " names the class com.example.Gadget, which is not one a Trainyard network is built "
                        + "from; refusing to load it",
                refusal(entries));

        entries.put(
                ModelSerializer.CONFIGURATION_JSON,
                json.replaceFirst("\"@class\"", "\"@type\"").getBytes(StandardCharsets.UTF_8));
        assertTrue(refusal(entries).contains("has the type key '@type'"));
    }

    @Test
    void aConfigurationRepeatingAKeyIsRefusedSoTheCheckAndTheReaderCannotSeeDifferentClasses() throws IOException {
        // Jackson's tree keeps a repeated key's last value, DL4J's reader builds from the first: the class check would
        // see the allowed class while DL4J built the other.
        Map<String, byte[]> entries = written();
        String json = new String(entries.get(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8);
        String allowed = "\"@class\" : \"org.nd4j.linalg.activations.impl.ActivationReLU\"";
        assertTrue(json.contains(allowed), json);
        entries.put(
                ModelSerializer.CONFIGURATION_JSON,
                json.replaceFirst(
                                java.util.regex.Pattern.quote(allowed),
                                "\"@class\" : \"com.example.Gadget\", " + allowed)
                        .getBytes(StandardCharsets.UTF_8));
        String refusal = refusal(entries);
        assertTrue(
                refusal.startsWith(
                        SOURCE + ": configuration.json is not JSON Trainyard reads (Duplicate field " + "'@class')"),
                refusal);
    }

    @Test
    void aZipWithoutANetworkIsRefused() throws IOException {
        Map<String, byte[]> entries = written();
        entries.remove(ModelSerializer.COEFFICIENTS_BIN);
        assertEquals(SOURCE + " holds no network (configuration.json and coefficients.bin)", refusal(entries));
    }

    /** The offset of the data buffer's length field in an ND4J array as Nd4j.write lays it out, and its width. */
    private static int[] dataLengthField(byte[] array) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(array));
        String mode = in.readUTF();
        long shapeLength = mode.equals("LONG_SHAPE") || mode.equals("MIXED_DATA_TYPES") ? in.readLong() : in.readInt();
        String type = in.readUTF();
        in.skipNBytes(
                shapeLength * org.nd4j.linalg.api.buffer.DataType.valueOf(type).width());
        String dataMode = in.readUTF();
        int offset = array.length - in.available();
        return new int[] {offset, dataMode.equals("LONG_SHAPE") || dataMode.equals("MIXED_DATA_TYPES") ? 8 : 4};
    }

    @Test
    void anArrayHeaderDeclaringMoreValuesThanItsBytesIsRefusedBeforeAllocating() throws IOException {
        Map<String, byte[]> entries = written();
        byte[] coefficients = entries.get(ModelSerializer.COEFFICIENTS_BIN).clone();
        int[] field = dataLengthField(coefficients);
        java.nio.ByteBuffer.wrap(coefficients, field[0], field[1]).putLong(1L << 40);
        entries.put(ModelSerializer.COEFFICIENTS_BIN, coefficients);
        assertTrue(
                refusal(entries)
                        .startsWith(
                                SOURCE + ": entry 'coefficients.bin' declares 1099511627776 values but " + "holds "),
                refusal(entries));
    }

    @Test
    void anArrayOfAnotherLengthThanTheConfigurationsParametersIsRefused() throws IOException {
        Map<String, byte[]> entries = written();
        byte[] coefficients = entries.get(ModelSerializer.COEFFICIENTS_BIN);
        int[] field = dataLengthField(coefficients);
        // One value fewer, consistently: the header and the bytes agree, the configuration (3 -> 4 -> 1) does not.
        byte[] shorter = java.util.Arrays.copyOf(coefficients, coefficients.length - Float.BYTES);
        long declared = java.nio.ByteBuffer.wrap(shorter, field[0], field[1]).getLong();
        java.nio.ByteBuffer.wrap(shorter, field[0], field[1]).putLong(declared - 1);
        entries.put(ModelSerializer.COEFFICIENTS_BIN, shorter);
        assertEquals(
                SOURCE + ": entry 'coefficients.bin' declares 20 values but the configuration has 21 parameters; "
                        + "refusing to load it",
                refusal(entries));
    }

    @Test
    void anEntryDecompressingBeyondWhatTheManifestsNetworkHoldsIsRefused() throws IOException {
        Map<String, byte[]> entries = written();
        // 21 parameters: 1 MB of zeros compresses to a kilobyte but is no coefficients.bin of such a network.
        entries.put(ModelSerializer.COEFFICIENTS_BIN, new byte[1 << 20]);
        NetworkFiles.RefusedException e = assertThrows(
                NetworkFiles.RefusedException.class, () -> NetworkFiles.read(zip(entries), false, SOURCE, 21));
        assertEquals(
                SOURCE + ": entry 'coefficients.bin' is larger than " + (21 * 8 + 4096) + " bytes; refusing to load it",
                e.getMessage());
    }
}
