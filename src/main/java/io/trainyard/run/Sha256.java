package io.trainyard.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex: model checksums, data fingerprints, ledger fingerprints. */
public final class Sha256 {
    private Sha256() {}

    /** The digest of the parts, in order, as one stream of bytes. */
    public static String hex(byte[]... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        for (byte[] part : parts) {
            digest.update(part);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The digest of the texts' UTF-8 bytes, in order. */
    public static String hex(String... texts) {
        byte[][] parts = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            parts[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return hex(parts);
    }
}
