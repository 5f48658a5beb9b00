package io.trainyard.artifact;

import io.trainyard.run.Json;
import io.trainyard.run.Sha256;
import io.trainyard.run.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of model directories. Checksums in {@code model.json} catch corruption but not tampering:
 * whoever edits a file can recompute them. With a key (environment {@code TRAINYARD_MODEL_KEY}, or a file named by
 * {@code TRAINYARD_MODEL_KEY_FILE} or the system property {@code trainyard.model-key-file}), {@code train} and
 * {@code sweep} write {@link #FILE} over every file of the model, {@code model.json} included, and {@code predict}
 * refuses a model whose signature is missing or does not match.
 *
 * @param key the secret; null when no key is configured
 */
public record ModelSignature(byte[] key) {
    /** The signature file, beside the files it covers. */
    public static final String FILE = "model.sig";

    static final String KEY_ENV = "TRAINYARD_MODEL_KEY";
    static final String KEY_FILE_ENV = "TRAINYARD_MODEL_KEY_FILE";
    public static final String KEY_FILE_PROPERTY = "trainyard.model-key-file";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 16;
    private static final int MAX_KEY_FILE_BYTES = 4096;

    /** What {@link #FILE} holds: the algorithm, each covered file's SHA-256, and the MAC over them. */
    public record Signed(String algorithm, Map<String, String> sha256, String hmac) {}

    /** The key configured for this process, or a signature without one. */
    public static ModelSignature configured() {
        String file = System.getProperty(KEY_FILE_PROPERTY, System.getenv(KEY_FILE_ENV));
        if (file != null && !file.isBlank()) {
            return new ModelSignature(readKeyFile(Path.of(file)));
        }
        String text = System.getenv(KEY_ENV);
        return text == null || text.isEmpty()
                ? new ModelSignature(null)
                : new ModelSignature(checked(text.getBytes(StandardCharsets.UTF_8), KEY_ENV));
    }

    private static byte[] readKeyFile(Path file) {
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new UserInputException(KEY_FILE_ENV + ": " + file + " is larger than " + MAX_KEY_FILE_BYTES
                        + " bytes; it should hold only the key");
            }
            return checked(
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                            .strip()
                            .getBytes(StandardCharsets.UTF_8),
                    KEY_FILE_ENV + " " + file);
        } catch (IOException e) {
            throw new UserInputException(
                    KEY_FILE_ENV + ": cannot read the model key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] checked(byte[] key, String source) {
        if (key.length < MIN_KEY_BYTES) {
            throw new UserInputException(source + ": a model key needs at least " + MIN_KEY_BYTES + " bytes, got "
                    + key.length + " (e.g. openssl rand -hex 32)");
        }
        return key;
    }

    public boolean enabled() {
        return key != null;
    }

    /** The signature file's text over {@code files} (name to content). */
    public String sign(Map<String, byte[]> files) {
        Map<String, String> sums = sums(files);
        return Json.write(new Signed(ALGORITHM, sums, mac(sums)));
    }

    /**
     * Refuses {@code files} (every file of the model directory but the signature, name to content) unless
     * {@code signatureText} signs exactly these files with this key. {@code dir} names the model in messages.
     */
    public void verify(Path dir, Map<String, byte[]> files, byte[] signatureText) {
        if (signatureText == null) {
            throw new UserInputException("--model: " + dir + " is not signed (no " + FILE + ") and a model key is set; "
                    + "refusing to load it");
        }
        Signed signed;
        try {
            signed = Json.MAPPER.readValue(signatureText, Signed.class);
        } catch (IOException e) {
            throw new UserInputException("--model: " + dir.resolve(FILE) + " is not a Trainyard signature", e);
        }
        Map<String, String> sums = sums(files);
        if (!ALGORITHM.equals(signed.algorithm())
                || signed.hmac() == null
                || !MessageDigest.isEqual(HexFormat.of().parseHex(mac(sums)), parseHex(signed.hmac()))
                || !sums.equals(signed.sha256())) {
            throw new UserInputException("--model: " + dir.resolve(FILE) + " does not match the model's files under "
                    + "this key (changed, added or removed since it was signed, or signed with another key); refusing "
                    + "to load it");
        }
    }

    private static byte[] parseHex(String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static Map<String, String> sums(Map<String, byte[]> files) {
        Map<String, String> sums = new TreeMap<>();
        files.forEach((name, bytes) -> sums.put(name, Sha256.hex(bytes)));
        return sums;
    }

    /** The MAC over the sorted (name, SHA-256) list: a file renamed, added or dropped changes it. */
    private String mac(Map<String, String> sortedSums) {
        StringBuilder text = new StringBuilder("trainyard-model-signature-v1\n");
        sortedSums.forEach(
                (name, sum) -> text.append(name).append(' ').append(sum).append('\n'));
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
