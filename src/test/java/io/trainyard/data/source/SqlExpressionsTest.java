package io.trainyard.data.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The allow-list of SQL a spec or a model may carry: what passes, and each refusal's exact message. */
class SqlExpressionsTest {
    private static final Set<String> COLUMNS = Set.of("ts", "a", "b", "income", "pixels", "s", "user");

    private static String refusal(String sql) {
        return assertThrows(DataException.class, () -> SqlExpressions.parse("data.features", sql, COLUMNS), sql)
                .getMessage();
    }

    @Test
    void everydayFeatureExpressionsPass() {
        for (String sql : new String[] {
            "hour(ts) AS hour",
            "CASE WHEN income > 0 THEN 1 ELSE 0 END",
            "coalesce(a, 0) + b * 2",
            "date_diff(ts, ts)",
            "datediff(ts, ts)",
            "CAST(a AS DOUBLE)",
            "try_cast(s AS INT)",
            "a IN (1, 2)",
            "a BETWEEN 1 AND 2",
            "NOT (a <=> b)",
            "lower(trim(s)) AS s2",
            "s LIKE 'x%'",
            "s || 'x'",
            "substring(s FROM 1 FOR 2)",
            "extract(HOUR FROM ts)",
            "if(a > b, a, b)",
            "transform(pixels, x -> x / 255.0)",
            "element_at(pixels, 3)",
            "year(ts) * 100 + month(ts)",
            "unix_timestamp(ts)",
            "sha2(s, 256)",
            "abs(a) % 7",
            "a IS NOT NULL",
            "`weird col` + 1",
            "user",
            "CAST(0.0 AS DOUBLE)",
            "struct(a, b).a",
            "timestamp '2020-01-01' < ts",
            "nvl(s, 'missing')"
        }) {
            SqlExpressions.parse("data.features", sql, COLUMNS);
        }
    }

    @Test
    void trainyardsOwnArrayElementsPass() {
        // What FeatureSelector writes into a feature plan for array columns (a model's plan is checked on load); the
        // length check is a column Trainyard builds, not SQL text.
        SqlExpressions.parse("feature-plan.json", "element_at((`pixels`), 1) AS `pixels_0`", null);
    }

    @Test
    void raisingAnErrorIsRefusedSoNoExpressionCanForgeTrainyardsOwn() {
        assertEquals(
                "data.features: 'CASE WHEN a > 0 THEN 1 ELSE raise_error('trainyard-check: key=...') END' calls raise_error, which Trainyard refuses: its message would read as one of "
                        + "Trainyard's own errors",
                refusal("CASE WHEN a > 0 THEN 1 ELSE raise_error('trainyard-check: key=...') END"));
        assertEquals(
                "data.features: 'assert_true(a > 0, 'x')' calls assert_true, which Trainyard refuses: its message would"
                        + " read as one of Trainyard's own errors",
                refusal("assert_true(a > 0, 'x')"));
    }

    @Test
    void variableSubstitutionIsRefusedInExpressionsAndNames() {
        // Spark's parser would expand these before parsing: a secret, or SQL of the variable's own.
        for (String sql : List.of(
                "`ts${env:AWS_SECRET_ACCESS_KEY}`",
                "hour(`ts`) AS `h${system:user.home}`",
                "concat(s, '${spark:spark.app.name}')")) {
            assertEquals(
                    "data.features: '" + sql + "' holds '${', which Spark would expand as a variable (an environment "
                            + "value, a system property); Trainyard does not allow it in an expression or a name",
                    refusal(sql));
        }
        DataException name =
                assertThrows(DataException.class, () -> SqlExpressions.checkName("data.features", "ts${env:HOME}"));
        assertEquals(
                "data.features: the name 'ts${env:HOME}' holds '${', which Spark would expand as a variable; rename "
                        + "the column or give the expression another alias",
                name.getMessage());
        SqlExpressions.checkName("data.features", "price $ {x}");
    }

    @Test
    void literalsThatReadTheClockAreRefused() {
        for (String sql : List.of(
                "TIMESTAMP 'now'",
                "DATE 'today'",
                "CAST('now' AS TIMESTAMP)",
                "datediff(ts, DATE ' Yesterday ')",
                "ts < TIMESTAMP \"tomorrow UTC\"")) {
            String refusal = refusal(sql);
            assertEquals(
                    true, refusal.contains("which Spark reads as the clock; name the date or time instead"), refusal);
        }
        SqlExpressions.parse("data.features", "timestamp '2020-01-01' < ts", COLUMNS);
        SqlExpressions.parse("data.features", "s = 'nowhere'", COLUMNS);
    }

    @Test
    void functionsWhoseOutputCouldGrowWithoutBoundAreBounded() {
        assertEquals(
                "data.features: 'length(format_number(cast(a as decimal(10,0)), 1000000000))' calls format_number "
                        + "with 1000000000 digits; Trainyard takes a literal from 0 to 100 (or a format pattern)",
                refusal("length(format_number(cast(a as decimal(10,0)), 1000000000))"));
        assertEquals(
                "data.features: 'format_number(a, b)' calls format_number with b digits; Trainyard takes a literal from "
                        + "0 to 100 (or a format pattern)",
                refusal("format_number(a, b)"));
        SqlExpressions.parse("data.features", "format_number(a, 2)", COLUMNS);
        SqlExpressions.parse("data.features", "format_number(a, '#,###.##')", COLUMNS);
        // Each level multiplies the length: 20 levels of x4 would be 4^20 times the input.
        assertEquals(
                "data.features: 'replace(replace(s, 'a', 'aaaa'), 'a', 'aaaa')' nests replace inside another call that "
                        + "lengthens text; each level multiplies the length, so Trainyard allows one",
                refusal("replace(replace(s, 'a', 'aaaa'), 'a', 'aaaa')"));
        assertEquals(
                true,
                refusal("regexp_replace(lower(replace(s, 'a', 'bb')), '.', '$0$0')")
                        .contains("nests replace inside another call"));
        assertEquals(
                "data.features: 'replace(s, 'a', s)' calls replace with s; its pattern and replacement must be literals, "
                        + "so the output's length is bounded",
                refusal("replace(s, 'a', s)"));
        SqlExpressions.parse("data.features", "replace(s, 'a', 'b')", COLUMNS);
        SqlExpressions.parse("data.features", "concat(replace(s, 'a', 'b'), replace(s, 'c', 'd'))", COLUMNS);
        String huge = "a + " + "1 + ".repeat(3_000) + "1";
        assertEquals(
                true, refusal(huge).endsWith("is 12005 characters long; Trainyard takes at most 10000"), refusal(huge));
    }

    @Test
    void reflectionIsRefusedByName() {
        assertEquals(
                "data.features: 'java_method('java.io.File', 'createTempFile', 'p', '.x')' calls java_method, "
                        + "which Trainyard refuses: it calls Java methods",
                refusal("java_method('java.io.File', 'createTempFile', 'p', '.x')"));
        assertEquals(
                "data.features: 'reflect('java.lang.Runtime', 'getRuntime')' calls reflect, which Trainyard "
                        + "refuses: it calls Java methods",
                refusal("reflect('java.lang.Runtime', 'getRuntime')"));
        assertEquals(
                "data.features: 'a + TRY_REFLECT('x', 'y')' calls TRY_REFLECT, which Trainyard refuses: it calls "
                        + "Java methods",
                refusal("a + TRY_REFLECT('x', 'y')"));
    }

    @Test
    void functionsOffTheListAreRefused() {
        assertEquals(
                "data.features: 'myudf(a)' calls myudf, which is not on Trainyard's list of allowed SQL "
                        + "functions (docs/data.md, \"SQL expressions\")",
                refusal("myudf(a)"));
        assertEquals(
                "data.features: 'db.myudf(a)' calls db.myudf, a catalog function; only built-in functions are "
                        + "allowed",
                refusal("db.myudf(a)"));
        assertEquals(
                "data.features: 'input_file_name()' calls input_file_name, which Trainyard refuses: it reads where "
                        + "a row was stored",
                refusal("input_file_name()"));
        assertEquals(
                "data.features: 'rand(1) > 0.5' calls rand, which Trainyard refuses: it is not deterministic",
                refusal("rand(1) > 0.5"));
        assertEquals(
                "data.features: 'repeat(s, 1000000000)' calls repeat, which Trainyard refuses: its output size is "
                        + "unbounded",
                refusal("repeat(s, 1000000000)"));
        assertEquals(
                "data.features: 'unix_timestamp()' calls unix_timestamp() without an argument, which reads the "
                        + "clock",
                refusal("unix_timestamp()"));
        assertEquals(
                "data.features: 'count(a)' calls count, which is not on Trainyard's list of allowed SQL functions "
                        + "(docs/data.md, \"SQL expressions\")",
                refusal("count(a)"));
    }

    @Test
    void constructsThatReachBeyondTheRowAreRefused() {
        assertEquals(
                "data.features: 'a IN (SELECT 1)' holds a subquery, which Trainyard does not allow in an "
                        + "expression",
                refusal("a IN (SELECT 1)"));
        assertEquals(
                "data.features: '(SELECT max(a) FROM t)' holds a subquery, which Trainyard does not allow in an "
                        + "expression",
                refusal("(SELECT max(a) FROM t)"));
        assertEquals(
                "data.features: 'EXISTS (SELECT 1)' holds a subquery, which Trainyard does not allow in an "
                        + "expression",
                refusal("EXISTS (SELECT 1)"));
        assertEquals(
                "data.features: 'abs(a) OVER (PARTITION BY b)' holds a window function, which Trainyard does not "
                        + "allow in an expression",
                refusal("abs(a) OVER (PARTITION BY b)"));
        assertEquals(
                "data.features: 'IDENTIFIER('java_method')('a', 'b')' names a function through IDENTIFIER(), "
                        + "which Trainyard does not allow in an expression",
                refusal("IDENTIFIER('java_method')('a', 'b')"));
        assertEquals(
                "data.features: '*' selects * (name the columns), which Trainyard does not allow in an expression",
                refusal("*"));
        assertEquals(
                "data.features: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY a)' holds an aggregate, which "
                        + "Trainyard does not allow in an expression",
                refusal("percentile_cont(0.5) WITHIN GROUP (ORDER BY a)"));
    }

    @Test
    void bareNamesThatWouldReadTheSessionAreRefusedUnlessTheyAreColumns() {
        assertEquals(
                "data.features: 'current_user' names current_user, which is no column and would read the "
                        + "session, user or clock",
                refusal("current_user"));
        assertEquals(
                "data.features: 'date_diff(current_date, ts)' names current_date, which is no column and would "
                        + "read the session, user or clock",
                refusal("date_diff(current_date, ts)"));
    }

    @Test
    void textThatIsNotOneExpressionIsRefused() {
        assertEquals(
                "data.features: '$env' is not a valid SQL expression: [PARSE_SYNTAX_ERROR] Syntax error "
                        + "at or near '$'.; line 1 pos 0",
                refusal("$env"));
        assertEquals(
                "data.features: 'a) AS v0, java_method('x', 'y') AS v1, (b' is not a valid SQL expression: "
                        + "[PARSE_SYNTAX_ERROR] Syntax error at or near ')'.; line 1 pos 1",
                refusal("a) AS v0, java_method('x', 'y') AS v1, (b"));
    }

    @Test
    void longExpressionsAreShortenedInMessages() {
        String sql = "reflect('" + "x".repeat(200) + "', 'y')";
        assertEquals(
                "data.features: 'reflect('" + "x".repeat(68) + "...' calls reflect, which Trainyard refuses: it "
                        + "calls Java methods",
                refusal(sql));
    }

    @Test
    void aQuotedColumnNameReadsBackAsItWasAndAnExpressionAsWritten() {
        for (String name : List.of("value", "odd `name`", "a.b c", "`")) {
            assertEquals(name, FeatureSelector.unquoted(FeatureSelector.quote(name)));
        }
        assertEquals("price * 2", FeatureSelector.unquoted("price * 2"));
    }
}
