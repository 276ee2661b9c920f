package io.triaready.transport.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The screen without a server: what an audit writes runs, and the reasons for what it refuses. The server side is SqlSideEffectTest. */
class StatementScreenTest {
    @Test
    void queriesThatOnlyReadRun() {
        for (String q : List.of(
                "SELECT count(*) FROM products WHERE embedding IS NULL",
                "select id, name, city from outlets order by id",
                "SELECT extract(epoch FROM now() - max(created_at)) / 3600 AS hours FROM orders",
                "SELECT to_regclass('public.orders') IS NOT NULL",
                "SELECT sum(hits) AS hits, sum(misses) AS misses FROM cache_stats",
                "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT sum(n) FROM t",
                "SELECT query, calls FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 5",
                "SELECT pg_database_size(current_database()), pg_total_relation_size('orders')",
                "SELECT sum(size) FROM pg_ls_waldir()",
                "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())",
                "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE '%pg_terminate_backend%'",
                "SELECT 1 -- pg_reload_conf()",
                "SELECT /* COPY x TO PROGRAM 'y' */ 1",
                "SELECT $$lo_export$$, E'set_config\\'', U&'\\0041'",
                "SELECT substring(name FOR 3) FROM products",
                "TABLE products",
                "VALUES (1, 'a')",
                "SHOW max_connections",
                "EXPLAIN SELECT * FROM orders WHERE id = 1",
                "EXPLAIN (VERBOSE, COSTS off, ANALYZE false) SELECT 1",
                "((SELECT 1))",
                "SELECT 1;")) {
            assertThat(StatementScreen.refusal(SqlText.stripTrailingSemicolons(q))).as(q).isNull();
        }
    }

    @Test
    void refusalsSayWhy() {
        assertThat(StatementScreen.refusal("SELECT pg_terminate_backend(42)"))
                .isEqualTo("refused: pg_terminate_backend signals other sessions (ends or cancels them); an audit never changes a target");
        assertThat(StatementScreen.refusal("COPY t TO PROGRAM 'id'"))
                .isEqualTo("refused: COPY reads or writes files and runs programs on the database server;"
                        + " a check runs one SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN");
        assertThat(StatementScreen.refusal("{call bump()}")).startsWith("refused: '{' is not a statement that only reads");
        assertThat(StatementScreen.refusal("SELECT 1 FROM t WHERE x = 1 OR dblink_connect('x') = 'OK'")).startsWith("refused: dblink_connect runs SQL on another connection");
        assertThat(StatementScreen.refusal("SELECT \"PG_RELOAD_CONF\"()")).startsWith("refused: pg_reload_conf");
        assertThat(StatementScreen.refusal("SELECT (row(1)).pg_cancel_backend")).startsWith("refused: pg_cancel_backend"); // attribute notation
        assertThat(StatementScreen.refusal("SELECT 1 +-- c\n pg_advisory_lock(1)")).startsWith("refused: pg_advisory_lock");
        assertThat(StatementScreen.refusal("SELECT /* /* nested */ still a comment */ lo_unlink(1)")).startsWith("refused: lo_unlink");
        assertThat(StatementScreen.refusal("SELECT $x$ $$ $x$, set_config('a', 'b', true)")).startsWith("refused: set_config");
        assertThat(StatementScreen.refusal("WITH x AS (SELECT 1) UPDATE t SET a = 1")).startsWith("refused: a UPDATE inside the statement writes data");
        assertThat(StatementScreen.refusal("SELECT * FROM t FOR NO KEY UPDATE")).startsWith("refused: FOR NO KEY UPDATE locks rows");
        assertThat(StatementScreen.refusal("EXPLAIN (ANALYZE) SELECT 1")).startsWith("refused: EXPLAIN ANALYZE runs the statement");
        assertThat(StatementScreen.refusal("EXPLAIN ANALYSE SELECT 1")).startsWith("refused: EXPLAIN ANALYZE runs the statement");
        assertThat(StatementScreen.refusal("EXPLAIN EXECUTE p")).startsWith("refused: EXPLAIN of EXECUTE");
        assertThat(StatementScreen.refusal("")).startsWith("refused: the query is empty");
        assertThat(StatementScreen.refusal("-- only a comment")).startsWith("refused: the query is empty");
    }

    @Test
    void calledNamesAreWhatTheServerLooksUp() {
        assertThat(StatementScreen.calledNames("SELECT count(*), public.f(x), \"MixedCase\"(1), g (2) FROM t WHERE a IN (1) AND 'h(' = $$i($$"))
                .containsExactly("count", "f", "MixedCase", "g", "in");
        assertThat(SessionGuard.volatileLookup(List.of("it's", "a\\b"))).contains("ARRAY[E'it\\'s', E'a\\\\b']::text[]");
    }

    @Test
    void theLexerKeepsCodeAndTextApart() {
        List<SqlLexer.Token> t = SqlLexer.tokens("SELECT E'\\'', 'a''b', $q$x$q$, U&\"d\", \"A\"\"B\", 1.5e3, $1 -- c");
        assertThat(t).extracting(SqlLexer.Token::kind).containsExactly(SqlLexer.Kind.WORD, SqlLexer.Kind.STRING, SqlLexer.Kind.PUNCT,
                SqlLexer.Kind.STRING, SqlLexer.Kind.PUNCT, SqlLexer.Kind.STRING, SqlLexer.Kind.PUNCT, SqlLexer.Kind.UNICODE_IDENT,
                SqlLexer.Kind.PUNCT, SqlLexer.Kind.QUOTED_IDENT, SqlLexer.Kind.PUNCT, SqlLexer.Kind.NUMBER, SqlLexer.Kind.PUNCT, SqlLexer.Kind.PARAM);
        assertThat(t.get(3).value()).isEqualTo("a'b");
        assertThat(t.get(9).value()).isEqualTo("A\"B");
        // a space the server does not count as one (U+2003) is part of the name there, and here
        assertThat(SqlLexer.tokens("pg_cancel_backend\u2003(1)").get(0).value()).isEqualTo("pg_cancel_backend\u2003");
    }
}
