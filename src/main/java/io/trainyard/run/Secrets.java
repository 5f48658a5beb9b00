package io.trainyard.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values that must never be written to logs, {@code run.json} or reports: those of keys that look like secrets
 * (password, token, secret, credential, SAS, a key such as access.key or api-key), quoted or bare, in option strings
 * ({@code -Ddb.password=...}) and JSON text; bearer tokens; signatures in URL queries; and passwords in URLs
 * ({@code s3a://user:pass@bucket}, the password possibly holding '/').
 */
public final class Secrets {
    public static final String REDACTED = "*****(redacted)";
    private static final String NAME = "(?:password|passwd|passphrase|secret|token|credential|auth|sas"
            + "|(?:access|secret|private|api|account|master|signing|encryption|client|session|storage|model)[._-]?key)";
    private static final Pattern SECRET_KEY = Pattern.compile(".*" + NAME + ".*");
    /** A quoted value (escapes and SQL's doubled quotes inside), a list or object, or a bare word. */
    private static final String VALUE =
            "(\"(?:[^\"\\\\]|\\\\.|\"\")*\"|'(?:[^'\\\\]|\\\\.|'')*'|\\[[^\\]]*\\]|\\{[^}]*\\}" + "|[^\\s,;&\"'}\\]]+)";
    /** {@code name=value}, {@code name: value} or {@code "name": "value"} where the name looks secret. */
    private static final Pattern ASSIGNMENT =
            Pattern.compile("(?i)(\\b[\\w.-]*" + NAME + "[\\w.-]*[\"']?\\s*[=:]\\s*)" + VALUE);
    /** {@code Bearer <token>}, as in an Authorization header. */
    private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]+");
    /** A signature or token in a URL query ({@code ?sv=...&sig=...}, as Azure SAS URLs carry). */
    private static final Pattern QUERY =
            Pattern.compile("(?i)([?&](?:sig|signature|token|access_token|api_key|key)=)" + "[^&\\s\"']+");
    /** The password of a URL's user information (not a port followed by a path). */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)(?!\\d+(?:[/\\s]|$))[^@\\s]+@");

    private Secrets() {}

    /** A key such as {@code db.password}, {@code fs.s3a.secret.key}, {@code fs.azure.sas.c.a}, or {@code accountKey}. */
    public static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY.matcher(k).matches()
                || Arrays.stream(k.split("[._-]")).anyMatch(part -> part.length() > 3 && part.endsWith("key"));
    }

    /** {@code value}, or {@link #REDACTED} when {@code key} looks secret; secrets inside it redacted either way. */
    public static String redact(String key, String value) {
        return looksSecret(key) ? REDACTED : redact(value);
    }

    /** Text with every secret form above replaced by {@link #REDACTED}, everything else kept. */
    public static String redact(String text) {
        String out = BEARER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        out = QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        out = ASSIGNMENT.matcher(out).replaceAll(m -> {
            String value = m.group(2);
            char quote = value.charAt(0);
            return Matcher.quoteReplacement(
                    m.group(1) + (quote == '"' || quote == '\'' ? quote + REDACTED + quote : REDACTED));
        });
        return URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED + "@"));
    }

    /**
     * A JSON tree with every string redacted as {@link #redact(String, String)} would, in place; a secret-looking key
     * loses its whole value, a list or object included.
     */
    public static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (looksSecret(field.getKey())) {
                    field.setValue(TextNode.valueOf(REDACTED));
                } else {
                    field.setValue(redact(field.getValue()));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, redact(node.get(i)));
            }
        } else if (node.isTextual()) {
            return TextNode.valueOf(redact(node.asText()));
        }
        return node;
    }
}
