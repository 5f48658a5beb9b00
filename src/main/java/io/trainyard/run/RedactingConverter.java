package io.trainyard.run;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * {@code %redact{pattern}} in a log4j2 layout: formats the inner pattern, message and stack trace included, and passes
 * it through {@link Secrets#redact(String)}, so the logs follow the same rules as {@code run.json} and error lines
 * (one list of secret forms, not a regular expression copied into every logging configuration).
 */
@Plugin(name = "RedactingConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"redact"})
public final class RedactingConverter extends LogEventPatternConverter {
    private final List<PatternFormatter> formatters;

    private RedactingConverter(List<PatternFormatter> formatters) {
        super("redact", "redact");
        this.formatters = formatters;
    }

    /** Called by log4j2 with the layout's configuration and the text inside the braces. */
    public static RedactingConverter newInstance(Configuration config, String[] options) {
        String inner = options == null || options.length == 0 ? "%m" : options[0];
        return new RedactingConverter(PatternLayout.createPatternParser(config).parse(inner));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder text = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, text);
        }
        toAppendTo.append(Secrets.redact(text.toString()));
    }

    /** Whether the inner pattern prints the stack trace (then the layout must not append it unredacted). */
    @Override
    public boolean handlesThrowable() {
        return formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }
}
