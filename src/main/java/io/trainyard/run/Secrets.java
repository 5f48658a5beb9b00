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
 * (password, token, secret, credential, a key such as access.key or api-key), the same inside option strings
 * ({@code -Ddb.password=...}), and passwords in URLs ({@code s3a://user:pass@bucket}).
 */
public final class Secrets {
    public static final String REDACTED = "*****(redacted)";
    private static final String NAME = "(?:password|passwd|secret|token|credential|auth|access[._-]?key|secret[._-]?key"
            + "|private[._-]?key|api[._-]?key|account[._-]?key)";
    private static final Pattern SECRET_KEY = Pattern.compile(".*" + NAME + ".*");
    /** {@code name=value} or {@code name: value} where the name looks secret; group 1 keeps the name. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?i)(\\b[\\w.-]*" + NAME + "[\\w.-]*\\s*[=:]\\s*)[^\\s,;&\"']+");
    /** The password of a URL's user information. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)[^@\\s/]+@");

    private Secrets() {
    }

    /** A key such as {@code db.password}, {@code fs.s3a.secret.key}, {@code api-key} or {@code accountKey}. */
    public static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY.matcher(k).matches()
                || Arrays.stream(k.split("[._-]")).anyMatch(part -> part.endsWith("key"));
    }

    /** {@code value}, or {@link #REDACTED} when {@code key} looks secret; secrets inside it redacted either way. */
    public static String redact(String key, String value) {
        return looksSecret(key) ? REDACTED : redact(value);
    }

    /** Text with the values of secret-looking assignments and URL passwords replaced by {@link #REDACTED}. */
    public static String redact(String text) {
        String out = ASSIGNMENT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        return URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED + "@"));
    }

    /** A JSON tree with every string redacted as {@link #redact(String, String)} would, in place. */
    public static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (looksSecret(field.getKey()) && !field.getValue().isContainerNode()) {
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
