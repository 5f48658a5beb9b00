package io.trainyard.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Values that must never be written to logs, {@code run.json} or reports: those of keys that look like secrets
 * (password, pwd, dbpass, token, secret, credential, signature, SAS, a key such as access.key or api-key), quoted or
 * bare, in option strings ({@code -Ddb.password=...}, {@code --password VALUE}) and JSON text; Authorization headers of
 * any scheme, bearer tokens and cookies; signatures in URL queries (SAS, {@code X-Amz-Signature}); passwords in URLs
 * ({@code s3a://user:pass@bucket}, the password possibly holding '/', '@' or leading digits) and Oracle's
 * {@code user/password@host}; PEM private keys. The table of forms is {@code SecretsTest}.
 */
public final class Secrets {
    public static final String REDACTED = "*****(redacted)";
    private static final String NAME = "(?:password|passwd|passphrase|secret|token|credential|auth|sas|signature"
            + "|(?:access|secret|private|api|account|master|signing|encryption|client|session|storage|model)[._-]?key)";
    private static final Pattern SECRET_KEY = Pattern.compile(".*" + NAME + ".*");
    /** A key that looks secret in text: one holding a name above, or ending in pass or pwd ({@code dbpass}). */
    private static final String KEY = "(?:[\\w.-]*" + NAME + "[\\w.-]*|[\\w.-]*(?:pass|pwd))";
    /** A list or object, or a bare word (literal braces and brackets as \x7B..., so log4j's pattern parser keeps them). */
    private static final String BARE = "(?:\\x5B[^\\x5D]*\\x5D|\\x7B[^\\x7D]*\\x7D|[^\\s,;&\"'\\x7D\\x5D]+)";

    /**
     * Each secret form as a regular expression and its replacement, applied in this order by {@link #redact(String)}
     * and, through {@link #log4jPattern}, by every shipped log configuration: one list, so the two cannot drift.
     */
    static final List<Rule> RULES = List.of(
            // A PEM private key, from its BEGIN line to its END line; cut short, as far as its base64 body goes.
            new Rule(
                    "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\\s\\S]*?-----END \\1PRIVATE KEY-----"
                            + "|(?:[A-Za-z0-9+/=\\s]|\\\\n)*)",
                    REDACTED),
            // An Authorization header's credentials, whatever the scheme (Basic, Digest, ...): the rest of its line.
            new Rule("(?i)(\\b(?:proxy-)?authorization\\s*[:=]\\s*)[^\\r\\n]+", "$1" + REDACTED),
            new Rule("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]+", "$1" + REDACTED),
            new Rule("(?i)(\\b(?:set-)?cookie\\s*:\\s*)[^\\r\\n]+", "$1" + REDACTED),
            // A signature or token in a URL query (?sv=...&sig=..., as Azure SAS and S3 presigned URLs carry).
            new Rule(
                    "(?i)([?&](?:sig|signature|token|access_token|api_key|key|x-amz-signature|x-amz-credential"
                            + "|x-amz-security-token)=)[^&\\s\"']+",
                    "$1" + REDACTED),
            // name=value, name: value, "name": "value" where the name looks secret: quoted values keep their quotes.
            new Rule("(?i)(\\b" + KEY + "[\"']?\\s*[=:]\\s*)\"(?:[^\"\\\\]|\\\\.|\"\")*\"", "$1\"" + REDACTED + "\""),
            new Rule("(?i)(\\b" + KEY + "[\"']?\\s*[=:]\\s*)'(?:[^'\\\\]|\\\\.|'')*'", "$1'" + REDACTED + "'"),
            new Rule("(?i)(\\b" + KEY + "[\"']?\\s*[=:]\\s*)" + BARE, "$1" + REDACTED),
            // --password value: a command-line option that looks secret, its value after a space.
            new Rule("(?i)((?<![\\w-])--?" + KEY + "\\s+)(?:\"[^\"]*\"|'[^']*'|(?!-)" + BARE + ")", "$1" + REDACTED),
            // A URL's password: from the colon after the user to the last @ of the address, so it may hold '/', '@'
            // or start with digits (a port has no '@' after it).
            new Rule("(://[^/\\s:@]+:)\\S*@", "$1" + REDACTED + "@"),
            // Oracle's user/password@host, alone or after thin:.
            new Rule("((?:^|(?<=[\\s:=\"'(]))[A-Za-z][\\w$#]*/)[^\\s@/\"']+@", "$1" + REDACTED + "@"));

    /** One secret form: what {@code regex} matches becomes {@code replacement} ({@code $1} keeps group 1). */
    record Rule(String regex, String replacement) {
        Pattern pattern() {
            return Pattern.compile(regex);
        }
    }

    private static final List<Pattern> PATTERNS =
            RULES.stream().map(Rule::pattern).toList();

    private Secrets() {}

    /** A key such as {@code db.password}, {@code fs.s3a.secret.key}, {@code fs.azure.sas.c.a}, or {@code accountKey}. */
    public static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY.matcher(k).matches()
                || Arrays.stream(k.split("[._-]"))
                        .anyMatch(part -> (part.length() > 3 && part.endsWith("key"))
                                || part.endsWith("pwd")
                                || part.endsWith("pass"));
    }

    /** {@code value}, or {@link #REDACTED} when {@code key} looks secret; secrets inside it redacted either way. */
    public static String redact(String key, String value) {
        return looksSecret(key) ? REDACTED : redact(value);
    }

    /** Text with every secret form above replaced by {@link #REDACTED}, everything else kept. */
    public static String redact(String text) {
        String out = text;
        for (int i = 0; i < RULES.size(); i++) {
            out = PATTERNS.get(i).matcher(out).replaceAll(RULES.get(i).replacement());
        }
        return out;
    }

    /** {@code message} (a log4j pattern such as {@code %m%n%throwable}) inside one {@code %replace} per rule. */
    public static String log4jPattern(String message) {
        String out = message;
        for (Rule rule : RULES) {
            out = "%replace{" + out + "}{" + rule.regex() + "}{" + rule.replacement() + "}";
        }
        return out;
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
