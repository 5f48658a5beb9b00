package io.trainyard.data.source;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.collection.JavaConverters;

/**
 * The one way a SQL expression from a spec or a saved model reaches Spark. Spark SQL can call Java
 * ({@code reflect}, {@code java_method}), user functions and subqueries, so such text is untrusted: it is parsed once
 * here, every node of the parse tree must be of a kind on {@link SqlAllowList#NODES} and every function on {@link SqlAllowList#FUNCTIONS}
 * (built-in, deterministic, no side effect, bounded output), and Spark gets the checked tree itself as a
 * {@link Column}: it never parses the text again, so nothing (not even {@code ${...}} variable substitution, which
 * Spark's own parser applies) can change what was checked. Checking happens before Spark analyses anything, since
 * analysis alone loads the classes {@code reflect} names.
 */
public final class SqlExpressions {
    private static final String CATALYST = "org.apache.spark.sql.catalyst.";

    private static final int QUOTED = 80;
    /** An expression's text is bounded, so no check below has to reason about text of any size. */
    static final int MAX_LENGTH = 10_000;
    /** Spark's special date and time strings: they read the clock, so a run would stop being reproducible. */
    private static final java.util.regex.Pattern CLOCK_LITERAL =
            java.util.regex.Pattern.compile("(?i)['\"]\\s*(now|today|yesterday|tomorrow)(\\s[^'\"]*)?['\"]");

    private SqlExpressions() {}

    /**
     * The checked expression as a Spark column. {@code where} names the spec key or model file it came from;
     * {@code columns} are the source's columns (a bare name that is not one would resolve to a session function).
     */
    public static Column column(String where, String sql, Set<String> columns) {
        return new Column(parse(where, sql, columns));
    }

    /** {@link #column(String, String, Set)} against the columns of {@code source}. */
    public static Column column(String where, String sql, org.apache.spark.sql.Dataset<?> source) {
        return column(where, sql, new java.util.HashSet<>(java.util.Arrays.asList(source.columns())));
    }

    /** Parses and checks {@code sql}; refuses it, naming {@code where} and the function or construct at fault. */
    public static Expression parse(String where, String sql, Set<String> columns) {
        checkText(where, sql);
        Expression parsed;
        try {
            parsed = CatalystSqlParser$.MODULE$.parseExpression(sql);
        } catch (Exception e) { // a ParseException, which Scala does not declare
            throw new DataException(
                    where + ": '" + shorten(sql) + "' is not a valid SQL expression: " + ParquetSource.firstLine(e));
        }
        check(where, sql, parsed, columns, false);
        return parsed;
    }

    /**
     * Refuses {@code name} (a column or feature name from a spec, a model or a Parquet schema) when it holds
     * <code>${</code>: Spark's variable substitution is off in every session Trainyard runs, and such a name is refused
     * besides, so that no later change can let it expand.
     */
    public static void checkName(String where, String name) {
        if (name.contains("${")) {
            throw new DataException(where + ": the name '" + shorten(name) + "' holds '${', which Spark would expand "
                    + "as a variable; rename the column or give the expression another alias");
        }
    }

    /** Checks on the text itself: what Spark's parser would read differently from the tree checked below. */
    private static void checkText(String where, String sql) {
        if (sql.length() > MAX_LENGTH) {
            throw refused(where, sql, "is " + sql.length() + " characters long; Trainyard takes at most " + MAX_LENGTH);
        }
        if (sql.contains("${")) {
            throw refused(
                    where,
                    sql,
                    "holds '${', which Spark would expand as a variable (an environment value, a "
                            + "system property); Trainyard does not allow it in an expression or a name");
        }
        java.util.regex.Matcher clock = CLOCK_LITERAL.matcher(sql);
        if (clock.find()) {
            throw refused(
                    where,
                    sql,
                    "holds the literal '" + clock.group(1) + "', which Spark reads as the clock; "
                            + "name the date or time instead");
        }
    }

    /** {@code growing}: an ancestor already multiplies its text's length (replace inside replace grows exponentially). */
    private static void check(String where, String sql, Expression node, Set<String> columns, boolean growing) {
        String kind = node.getClass().getName().startsWith(CATALYST)
                ? node.getClass().getName().substring(CATALYST.length())
                : node.getClass().getName();
        if (!SqlAllowList.NODES.contains(kind)) {
            throw refused(where, sql, describe(kind) + ", which Trainyard does not allow in an expression");
        }
        boolean grows = growing;
        if (node instanceof UnresolvedFunction f) {
            List<Expression> arguments = JavaConverters.seqAsJavaList(f.arguments());
            String lower = checkFunction(where, sql, JavaConverters.seqAsJavaList(f.nameParts()), arguments.isEmpty());
            grows = checkSize(where, sql, lower, arguments, growing);
        }
        if (node instanceof UnresolvedAttribute a
                && columns != null
                && a.nameParts().size() == 1
                && SqlAllowList.LITERAL_FUNCTIONS.contains(a.name().toLowerCase(Locale.ROOT))
                && !columns.contains(a.name())) {
            throw refused(
                    where,
                    sql,
                    "names " + a.name() + ", which is no column and would read the session, user or " + "clock");
        }
        for (Expression child : JavaConverters.seqAsJavaList(node.children())) {
            check(where, sql, child, columns, grows);
        }
    }

    /** Checks a function call by name; returns the name in lower case. */
    private static String checkFunction(String where, String sql, List<String> nameParts, boolean noArguments) {
        String name = String.join(".", nameParts);
        if (nameParts.size() != 1) {
            throw refused(where, sql, "calls " + name + ", a catalog function; only built-in functions are allowed");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String reason = SqlAllowList.REFUSED.get(lower);
        if (reason != null) {
            throw refused(where, sql, "calls " + name + ", which Trainyard refuses: " + reason);
        }
        if (!SqlAllowList.ALLOWED.contains(lower)) {
            throw refused(
                    where,
                    sql,
                    "calls " + name + ", which is not on Trainyard's list of allowed SQL functions "
                            + "(docs/data.md, \"SQL expressions\")");
        }
        if (lower.equals("unix_timestamp") && noArguments) {
            throw refused(where, sql, "calls unix_timestamp() without an argument, which reads the clock");
        }
        return lower;
    }

    /**
     * Bounds the output of the allowed functions whose result can be far longer than their input: their size
     * arguments must be literals within bounds, and none may be nested inside another (each level multiplies the
     * length). Returns whether this call multiplies its text's length.
     */
    private static boolean checkSize(
            String where, String sql, String function, List<Expression> arguments, boolean growing) {
        if (function.equals("format_number") && arguments.size() == 2) {
            Expression digits = arguments.get(1);
            Object value = digits instanceof Literal l ? l.value() : null;
            boolean bounded = value instanceof Integer d
                    ? d >= 0 && d <= SqlAllowList.MAX_DIGITS
                    : value != null && !(value instanceof Number);
            if (!bounded) {
                throw refused(
                        where,
                        sql,
                        "calls format_number with " + digits.sql() + " digits; Trainyard takes a "
                                + "literal from 0 to " + SqlAllowList.MAX_DIGITS + " (or a format pattern)");
            }
        }
        if (!SqlAllowList.GROWING.contains(function)) {
            return growing;
        }
        if (growing) {
            throw refused(
                    where,
                    sql,
                    "nests " + function + " inside another call that lengthens text; each level "
                            + "multiplies the length, so Trainyard allows one");
        }
        for (Expression argument : arguments.subList(1, arguments.size())) {
            if (!(argument instanceof Literal)) {
                throw refused(
                        where,
                        sql,
                        "calls " + function + " with " + argument.sql() + "; its pattern and "
                                + "replacement must be literals, so the output's length is bounded");
            }
        }
        return true;
    }

    private static String describe(String kind) {
        String simple = kind.substring(kind.lastIndexOf('.') + 1).replace("$", "");
        if (simple.contains("Subquery") || simple.equals("Exists") || simple.equals("ListQuery")) {
            return "holds a subquery";
        }
        if (simple.startsWith("Window") || simple.startsWith("UnresolvedWindow")) {
            return "holds a window function";
        }
        if (kind.startsWith("expressions.aggregate.")) {
            return "holds an aggregate";
        }
        if (simple.equals("ExpressionWithUnresolvedIdentifier")) {
            return "names a function through IDENTIFIER()";
        }
        if (simple.equals("UnresolvedStar")) {
            return "selects * (name the columns)";
        }
        return "holds " + simple;
    }

    private static DataException refused(String where, String sql, String what) {
        return new DataException(where + ": '" + shorten(sql) + "' " + what);
    }

    private static String shorten(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= QUOTED ? oneLine : oneLine.substring(0, QUOTED - 3) + "...";
    }
}
