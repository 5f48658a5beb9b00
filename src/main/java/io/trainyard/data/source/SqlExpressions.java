package io.trainyard.data.source;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.collection.JavaConverters;

/**
 * The one way a SQL expression from a spec or a saved model reaches Spark. Spark SQL can call Java
 * ({@code reflect}, {@code java_method}), user functions and subqueries, so such text is untrusted: it is parsed once
 * here, every node of the parse tree must be of a kind on {@link #NODES} and every function on {@link #FUNCTIONS}
 * (built-in, deterministic, no side effect, bounded output), and Spark gets the checked tree itself as a
 * {@link Column}: it never parses the text again, so nothing (not even {@code ${...}} variable substitution, which
 * Spark's own parser applies) can change what was checked. Checking happens before Spark analyses anything, since
 * analysis alone loads the classes {@code reflect} names.
 */
public final class SqlExpressions {
    private static final String CATALYST = "org.apache.spark.sql.catalyst.";

    /** Parse-tree node kinds an expression may hold (default deny: every other kind is refused). */
    static final Set<String> NODES = Set.of(
            "expressions.Literal",
            "analysis.UnresolvedAttribute",
            "analysis.UnresolvedExtractValue",
            "analysis.UnresolvedFunction",
            "expressions.Alias",
            "expressions.Add",
            "expressions.Subtract",
            "expressions.Multiply",
            "expressions.Divide",
            "expressions.Remainder",
            "expressions.IntegralDivide",
            "expressions.UnaryMinus",
            "expressions.UnaryPositive",
            "expressions.BitwiseAnd",
            "expressions.BitwiseOr",
            "expressions.BitwiseXor",
            "expressions.BitwiseNot",
            "expressions.EqualTo",
            "expressions.EqualNullSafe",
            "expressions.LessThan",
            "expressions.LessThanOrEqual",
            "expressions.GreaterThan",
            "expressions.GreaterThanOrEqual",
            "expressions.Not",
            "expressions.And",
            "expressions.Or",
            "expressions.In",
            "expressions.IsNull",
            "expressions.IsNotNull",
            "expressions.Like",
            "expressions.ILike",
            "expressions.RLike",
            "expressions.LikeAny",
            "expressions.LikeAll",
            "expressions.NotLikeAny",
            "expressions.NotLikeAll",
            "expressions.CaseWhen",
            "expressions.Cast",
            "expressions.Concat",
            "expressions.CreateNamedStruct",
            "expressions.StringTrim",
            "expressions.StringTrimLeft",
            "expressions.StringTrimRight",
            "expressions.StringTrimBoth",
            "expressions.Substring",
            "expressions.StringLocate",
            "expressions.Overlay",
            "expressions.TimestampAdd",
            "expressions.TimestampDiff",
            "expressions.LambdaFunction",
            "expressions.UnresolvedNamedLambdaVariable");

    /** Built-in functions an expression may call, by class (the README lists them the same way). */
    static final Map<String, List<String>> FUNCTIONS = Map.of(
            "math",
                    List.of(
                            "abs",
                            "acos",
                            "acosh",
                            "asin",
                            "asinh",
                            "atan",
                            "atan2",
                            "atanh",
                            "bin",
                            "bround",
                            "cbrt",
                            "ceil",
                            "ceiling",
                            "cos",
                            "cosh",
                            "cot",
                            "csc",
                            "degrees",
                            "div",
                            "e",
                            "exp",
                            "expm1",
                            "factorial",
                            "floor",
                            "greatest",
                            "hypot",
                            "least",
                            "ln",
                            "log",
                            "log10",
                            "log1p",
                            "log2",
                            "mod",
                            "negative",
                            "pi",
                            "pmod",
                            "positive",
                            "pow",
                            "power",
                            "radians",
                            "rint",
                            "round",
                            "sec",
                            "shiftleft",
                            "shiftright",
                            "shiftrightunsigned",
                            "sign",
                            "signum",
                            "sin",
                            "sinh",
                            "sqrt",
                            "tan",
                            "tanh",
                            "try_add",
                            "try_divide",
                            "try_multiply",
                            "try_subtract",
                            "width_bucket"),
            "conditional and null handling",
                    List.of(
                            "coalesce",
                            "equal_null",
                            "if",
                            "ifnull",
                            "isnan",
                            "isnotnull",
                            "isnull",
                            "nanvl",
                            "nullif",
                            "nvl",
                            "nvl2",
                            "raise_error"),
            "casts",
                    List.of(
                            "bigint",
                            "boolean",
                            "date",
                            "decimal",
                            "double",
                            "float",
                            "int",
                            "smallint",
                            "string",
                            "timestamp",
                            "tinyint",
                            "to_number",
                            "try_to_number",
                            "to_char",
                            "to_varchar"),
            "strings",
                    List.of(
                            "ascii",
                            "bit_length",
                            "btrim",
                            "char",
                            "char_length",
                            "character_length",
                            "chr",
                            "concat",
                            "concat_ws",
                            "contains",
                            "endswith",
                            "find_in_set",
                            "format_number",
                            "ilike",
                            "initcap",
                            "instr",
                            "lcase",
                            "left",
                            "len",
                            "length",
                            "levenshtein",
                            "like",
                            "locate",
                            "lower",
                            "ltrim",
                            "octet_length",
                            "position",
                            "regexp",
                            "regexp_count",
                            "regexp_extract",
                            "regexp_extract_all",
                            "regexp_instr",
                            "regexp_like",
                            "regexp_replace",
                            "regexp_substr",
                            "replace",
                            "reverse",
                            "right",
                            "rlike",
                            "rtrim",
                            "soundex",
                            "split",
                            "split_part",
                            "startswith",
                            "substr",
                            "substring",
                            "substring_index",
                            "translate",
                            "trim",
                            "ucase",
                            "upper"),
            "dates and times",
                    List.of(
                            "add_months",
                            "date_add",
                            "date_diff",
                            "date_format",
                            "date_from_unix_date",
                            "date_part",
                            "date_sub",
                            "date_trunc",
                            "dateadd",
                            "datediff",
                            "datepart",
                            "day",
                            "dayofmonth",
                            "dayofweek",
                            "dayofyear",
                            "extract",
                            "from_unixtime",
                            "from_utc_timestamp",
                            "hour",
                            "last_day",
                            "make_date",
                            "make_timestamp",
                            "make_timestamp_ltz",
                            "make_timestamp_ntz",
                            "minute",
                            "month",
                            "months_between",
                            "next_day",
                            "quarter",
                            "second",
                            "timestamp_micros",
                            "timestamp_millis",
                            "timestamp_seconds",
                            "to_date",
                            "to_timestamp",
                            "to_timestamp_ltz",
                            "to_timestamp_ntz",
                            "to_unix_timestamp",
                            "to_utc_timestamp",
                            "trunc",
                            "try_to_timestamp",
                            "unix_date",
                            "unix_micros",
                            "unix_millis",
                            "unix_seconds",
                            "unix_timestamp",
                            "weekday",
                            "weekofyear",
                            "year"),
            "hashes", List.of("crc32", "hash", "md5", "sha", "sha1", "sha2", "xxhash64"),
            "arrays and structs",
                    List.of(
                            "array",
                            "array_contains",
                            "array_max",
                            "array_min",
                            "array_position",
                            "array_size",
                            "cardinality",
                            "element_at",
                            "exists",
                            "filter",
                            "forall",
                            "get",
                            "named_struct",
                            "size",
                            "slice",
                            "struct",
                            "transform"));

    /** Refused with a reason of their own, because they are what an attacker reaches for first. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("reflect", "it calls Java methods"),
            Map.entry("java_method", "it calls Java methods"),
            Map.entry("try_reflect", "it calls Java methods"),
            Map.entry("input_file_name", "it reads where a row was stored"),
            Map.entry("input_file_block_start", "it reads where a row was stored"),
            Map.entry("input_file_block_length", "it reads where a row was stored"),
            Map.entry("rand", "it is not deterministic"),
            Map.entry("randn", "it is not deterministic"),
            Map.entry("random", "it is not deterministic"),
            Map.entry("uuid", "it is not deterministic"),
            Map.entry("shuffle", "it is not deterministic"),
            Map.entry("monotonically_increasing_id", "it is not deterministic"),
            Map.entry("spark_partition_id", "it is not deterministic"),
            Map.entry("current_timestamp", "it reads the clock"),
            Map.entry("current_date", "it reads the clock"),
            Map.entry("now", "it reads the clock"),
            Map.entry("localtimestamp", "it reads the clock"),
            Map.entry("repeat", "its output size is unbounded"),
            Map.entry("space", "its output size is unbounded"),
            Map.entry("lpad", "its output size is unbounded"),
            Map.entry("rpad", "its output size is unbounded"),
            Map.entry("array_repeat", "its output size is unbounded"),
            Map.entry("sequence", "its output size is unbounded"),
            Map.entry("format_string", "its output size is unbounded"),
            Map.entry("printf", "its output size is unbounded"));

    /** Names Spark resolves to a function when no column has them: they read the session, user or clock. */
    private static final Set<String> LITERAL_FUNCTIONS = Set.of(
            "current_date",
            "current_timestamp",
            "current_user",
            "user",
            "session_user",
            "current_database",
            "current_schema",
            "current_catalog",
            "localtimestamp",
            "current_timezone");

    private static final Set<String> ALLOWED =
            FUNCTIONS.values().stream().flatMap(List::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final int QUOTED = 80;

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
        Expression parsed;
        try {
            parsed = CatalystSqlParser$.MODULE$.parseExpression(sql);
        } catch (Exception e) { // a ParseException, which Scala does not declare
            throw new DataException(
                    where + ": '" + shorten(sql) + "' is not a valid SQL expression: " + ParquetSource.firstLine(e));
        }
        check(where, sql, parsed, columns);
        return parsed;
    }

    private static void check(String where, String sql, Expression node, Set<String> columns) {
        String kind = node.getClass().getName().startsWith(CATALYST)
                ? node.getClass().getName().substring(CATALYST.length())
                : node.getClass().getName();
        if (!NODES.contains(kind)) {
            throw refused(where, sql, describe(kind) + ", which Trainyard does not allow in an expression");
        }
        if (node instanceof UnresolvedFunction f) {
            checkFunction(
                    where,
                    sql,
                    JavaConverters.seqAsJavaList(f.nameParts()),
                    f.arguments().isEmpty());
        }
        if (node instanceof UnresolvedAttribute a
                && columns != null
                && a.nameParts().size() == 1
                && LITERAL_FUNCTIONS.contains(a.name().toLowerCase(Locale.ROOT))
                && !columns.contains(a.name())) {
            throw refused(
                    where,
                    sql,
                    "names " + a.name() + ", which is no column and would read the session, user or " + "clock");
        }
        for (Expression child : JavaConverters.seqAsJavaList(node.children())) {
            check(where, sql, child, columns);
        }
    }

    private static void checkFunction(String where, String sql, List<String> nameParts, boolean noArguments) {
        String name = String.join(".", nameParts);
        if (nameParts.size() != 1) {
            throw refused(where, sql, "calls " + name + ", a catalog function; only built-in functions are allowed");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String reason = REFUSED.get(lower);
        if (reason != null) {
            throw refused(where, sql, "calls " + name + ", which Trainyard refuses: " + reason);
        }
        if (!ALLOWED.contains(lower)) {
            throw refused(
                    where,
                    sql,
                    "calls " + name + ", which is not on Trainyard's list of allowed SQL functions "
                            + "(README, \"SQL expressions\")");
        }
        if (lower.equals("unix_timestamp") && noArguments) {
            throw refused(where, sql, "calls unix_timestamp() without an argument, which reads the clock");
        }
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
