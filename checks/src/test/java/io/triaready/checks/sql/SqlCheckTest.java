package io.triaready.checks.sql;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.problems;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.core.expect.Missing;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.transport.postgres.PgClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against the real PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres), in a database of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqlCheckTest {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final SqlCheckType SQL = new SqlCheckType();
    static String db;
    static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = "tria_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        url = "jdbc:postgresql://127.0.0.1:5432/" + db;
        try (Connection c = admin(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, embedding real[])");
            s.execute("INSERT INTO products VALUES (1, 'Pizza box 12in', '{0.1,0.2}'), (2, 'Napkins', '{0.3,0.4}'), (3, 'Straws', NULL)");
            s.execute("CREATE TABLE outlets (id int PRIMARY KEY, name text, city text, opened date)");
            s.execute("INSERT INTO outlets VALUES (1, 'Orchard', 'Singapore', '2021-03-01'), (2, 'Bugis', 'Singapore', '2022-01-15'),"
                    + " (3, 'KL Sentral', 'Kuala Lumpur', NULL), (4, 'Penang', 'George Town', '2023-07-09')");
            s.execute("CREATE TABLE cache_stats (tier text, hits bigint, misses bigint)");
            s.execute("INSERT INTO cache_stats VALUES ('l1', 30, 50), ('l2', 10, 10)");
            s.execute("CREATE TABLE big AS SELECT g AS n FROM generate_series(1, 2500) g");
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (db == null) return;
        try (Connection c = admin(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    static Connection admin(String jdbc) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "5");
        try {
            return new org.postgresql.Driver().connect(jdbc, p);
        } catch (Exception e) {
            return fail("PostgreSQL is needed on 127.0.0.1:5432 (trust auth for user postgres): start it, e.g. `service postgresql start` ("
                    + e.getMessage() + ")");
        }
    }

    static Target pgTarget(String jdbc) {
        return target(Map.of("postgres", Map.of("url", jdbc, "user", "postgres")));
    }

    static Run check(String spec, String expect) {
        try (Session session = new Session()) {
            return run(SQL, spec, expect, context(Duration.ofSeconds(10), pgTarget(url), session, new Secrets()));
        }
    }

    static long scalar(String sql) throws Exception {
        try (Connection c = admin(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void scalarQueryIsTheValue() throws Exception {
        String q = "\"SELECT count(*) FROM products WHERE embedding IS NULL\"";
        Run fail = check(q, "{equals: 0}");
        assertThat(fail.outcome()).as(fail.toString()).isEqualTo(Outcome.FAIL);
        assertThat(fail.failures()).containsExactly("value: expected 0, got 1");
        assertThat(fail.facts().notes()).anyMatch(n -> n.startsWith("1 row in "));

        Run pass = check("{query: \"SELECT count(*) FROM products WHERE embedding IS NOT NULL\"}", "{equals: 2}");
        assertThat(pass.outcome()).as(pass.toString()).isEqualTo(Outcome.PASS);
        assertThat(pass.fact("value")).isEqualTo(2L);
    }

    @Test
    void rowsRowCountAndColumns() throws Exception {
        Run r = check("\"SELECT id, name, city, opened FROM outlets ORDER BY id\"",
                "{row_count: {gte: 4}, columns: [id, name, city, opened], rows: {\"$[0].city\": Singapore, \"$[*].city\": {contains: Kuala Lumpur}}}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.fact("rows");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).containsEntry("id", 1L).containsEntry("opened", "2021-03-01");
        assertThat(rows.get(2)).containsEntry("opened", null);
        assertThat(r.fact("value")).isEqualTo(1L);

        Run tooFew = check("\"SELECT id FROM outlets\"", "{row_count: {gte: 5}}");
        assertThat(tooFew.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(tooFew.failures()).containsExactly("row_count: expected >= 5, got 4");
    }

    @Test
    void rowsAreCappedButCountedExactly() throws Exception {
        Run r = check("{query: \"SELECT n FROM big ORDER BY n\", max_rows: 100}", "{row_count: 2500}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        assertThat((List<?>) r.fact("rows")).hasSize(100);
        assertThat(r.facts().notes()).anyMatch(n -> n.contains("2500 rows") && n.contains("first 100 kept"));
    }

    @Test
    void expressionOverTheFirstRow() throws Exception {
        Run r = check("{query: \"SELECT sum(hits) AS hits, sum(misses) AS misses FROM cache_stats\", value: \"hits / (hits + misses)\"}",
                "{between: [0.30, 0.50]}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        assertThat((Double) r.fact("value")).isEqualTo(0.4);

        Run zero = check("{query: \"SELECT 0 AS hits, 0 AS misses\", value: \"hits / (hits + misses)\"}", "{gte: 0.3}");
        assertThat(zero.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(zero.error()).isEqualTo("value 'hits / (hits + misses)': division by zero ('hits + misses' is 0)");

        Run text = check("{query: \"SELECT 'many' AS hits\", value: \"hits * 2\"}", "{gte: 0}");
        assertThat(text.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(text.error()).contains("column 'hits' is not a number: \"many\"");

        Run unknown = check("{query: \"SELECT 1 AS a\", value: \"b + 1\"}", "{gte: 0}");
        assertThat(unknown.error()).contains("no column 'b' (columns: a)");
    }

    @Test
    void noRowsIsAFailNotAPass() throws Exception {
        Run r = check("\"SELECT id FROM outlets WHERE city = 'Atlantis'\"", "{lte: 100}");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.fact("value")).isEqualTo(Missing.INSTANCE);
        assertThat(r.facts().notes()).contains("query returned no rows");
        assertThat(check("\"SELECT id FROM outlets WHERE city = 'Atlantis'\"", "{row_count: 0}").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void writesAreRefusedAndTheDataIsUnchanged() throws Exception {
        // the screen refuses what it can see, before the query reaches the server
        Run insert = check("\"INSERT INTO products VALUES (99, 'Intruder', NULL)\"", "{row_count: 0}");
        assertThat(insert.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(insert.error()).isEqualTo("refused: INSERT writes data; a check runs one SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN");

        Run cte = check("\"WITH gone AS (DELETE FROM outlets RETURNING id) SELECT count(*) FROM gone\"", "{equals: 0}");
        assertThat(cte.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(cte.error()).startsWith("refused: a DELETE inside the statement writes data");

        Run ddl = check("\"DROP TABLE outlets\"", "{row_count: 0}");
        assertThat(ddl.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(ddl.error()).startsWith("refused: DROP changes the database");

        // what passes the screen still runs in a read-only transaction
        Run into = check("\"SELECT * INTO intruders FROM products\"", "{row_count: 0}");
        assertThat(into.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(into.error()).contains("cannot execute SELECT INTO in a read-only transaction");

        // statements that try to leave the read-only default for the next check on the same connection
        try (Session session = new Session()) {
            var ctx = context(Duration.ofSeconds(10), pgTarget(url), session, new Secrets());
            assertThat(run(SQL, "\"SET default_transaction_read_only = off\"", "{row_count: 0}", ctx).error()).startsWith("refused: SET");
            assertThat(run(SQL, "\"COMMIT\"", "{row_count: 0}", ctx).error()).startsWith("refused: COMMIT");
            Run after = run(SQL, "\"SELECT * INTO intruders FROM products\"", "{row_count: 0}", ctx);
            assertThat(after.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(after.error()).contains("read-only transaction");
        }

        assertThat(scalar("SELECT count(*) FROM products")).isEqualTo(3);
        assertThat(scalar("SELECT count(*) FROM outlets")).isEqualTo(4);
        assertThat(scalar("SELECT count(*) FROM pg_class WHERE relname = 'intruders'")).isZero();
    }

    @Test
    void severalStatementsAreRefusedWhenThePlaybookLoads() {
        assertThat(problems(SQL, "\"COMMIT; DELETE FROM products\"")).singleElement().asString()
                .contains("the query must be one statement (a second one starts after the ';' at position 7)");
        assertThat(problems(SQL, "\"SELECT 1;\"")).isEmpty();
        assertThat(problems(SQL, "\"SELECT ';' AS a, $$;$$ AS b -- ; not here\"")).isEmpty();
        assertThat(problems(SQL, "{query: \"SELECT 1\", value: \"a / (b\"}")).singleElement().asString()
                .contains("invalid expression 'a / (b': missing ')' at position 7");
        assertThat(problems(SQL, "{query: \"SELECT 1\", querry: x}")).singleElement().asString().contains("unknown key 'querry'");
        assertThat(problems(SQL, "{endpoint: postgres}")).singleElement().asString().contains("missing required key 'query'");
        assertThat(problems(SQL, "{query: \"SELECT 1\", url: \"mysql://x/y\"}")).singleElement().asString().contains("not a PostgreSQL URL");
    }

    @Test
    void slowQueryEndsAtTheTimeout() throws Exception {
        try (Session session = new Session()) {
            // connected first: logging in on a loaded machine is not what this 1 s is about
            Run first = run(SQL, "\"SELECT 1\"", "{equals: 1}", context(Duration.ofSeconds(10), pgTarget(url), session, new Secrets()));
            assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASS);
            var ctx = context(Duration.ofSeconds(1), pgTarget(url), session, new Secrets());
            Run r = run(SQL, "\"SELECT pg_sleep(10)\"", "{row_count: 1}", ctx);
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.error()).contains("statement_timeout");
            assertThat(r.took()).isLessThan(Duration.ofSeconds(5));
            // the shared connection is still good for the next check
            Run next = run(SQL, "\"SELECT 1\"", "{equals: 1}", context(Duration.ofSeconds(10), pgTarget(url), session, new Secrets()));
            assertThat(next.outcome()).as(next.toString()).isEqualTo(Outcome.PASS);
        }
    }

    @Test
    void serverDownIsAnErrorAndFast() throws Exception {
        int port = io.triaready.datacheck.CheckHarness.closedPort();
        try (Session session = new Session()) {
            var ctx = context(Duration.ofSeconds(5), pgTarget("jdbc:postgresql://127.0.0.1:" + port + "/x"), session, new Secrets());
            Run r = run(SQL, "\"SELECT 1\"", "{equals: 1}", ctx);
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.error()).startsWith("cannot connect to postgres 127.0.0.1:" + port + "/x as postgres: ").containsIgnoringCase("refused");
            assertThat(r.took()).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void hungServerCostsOneTimeout() throws Exception {
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accept, never answer the startup message
                } catch (Exception ignored) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (Session session = new Session()) {
                var ctx = context(Duration.ofSeconds(1), pgTarget("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/x"), session, new Secrets());
                Run r = run(SQL, "\"SELECT 1\"", "{equals: 1}", ctx);
                assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(r.error()).startsWith("cannot connect to postgres 127.0.0.1:" + silent.getLocalPort() + "/x as postgres: ").contains("no answer within");
                assertThat(r.took()).isLessThan(Duration.ofSeconds(4));
            }
        } finally {
            for (java.net.Socket s : held) s.close();
        }
    }

    @Test
    void unknownRoleOrDatabaseIsAnErrorThatNeverShowsThePassword() throws Exception {
        // pg_hba here is trust for 127.0.0.1: any password is accepted, so a wrong *role* and a wrong
        // *database* stand in for a wrong password (the same login failure path in the driver).
        String secret = "s3cret-Passw0rd";
        Secrets secrets = new Secrets();
        try (Session session = new Session()) {
            Target t = target(Map.of("postgres", Map.of("url", url + "?password=" + secret, "user", "no_such_role_tria", "password", secret)));
            Run r = run(SQL, "\"SELECT 1\"", "{equals: 1}", context(Duration.ofSeconds(5), t, session, secrets));
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.error()).contains("role \"no_such_role_tria\" does not exist").doesNotContain(secret);
        }
        try (Session session = new Session()) {
            Target t = target(Map.of("postgres", Map.of("url", "postgres://postgres:" + secret + "@127.0.0.1:5432/no_such_db_tria")));
            Run r = run(SQL, "\"SELECT 1\"", "{equals: 1}", context(Duration.ofSeconds(5), t, session, secrets));
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.error()).contains("database \"no_such_db_tria\" does not exist").doesNotContain(secret);
        }
    }

    @Test
    void missingEndpointSaysHowToAddIt() {
        try (Session session = new Session()) {
            Run r = run(SQL, "\"SELECT 1\"", "{equals: 1}", context(Duration.ofSeconds(5), target(Map.of()), session, new Secrets()));
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.error()).startsWith("target 'test' has no postgres endpoint (add postgres: {url: ...} to the inventory");
            Run named = run(SQL, "{query: \"SELECT 1\", endpoint: analytics_db}", "{equals: 1}",
                    context(Duration.ofSeconds(5), pgTarget(url), session, new Secrets()));
            assertThat(named.error()).isEqualTo("target 'test' has no analytics_db endpoint (add analytics_db: {url: ...} to the inventory)");
        }
    }

    @Test
    void namedEndpointAndInlineUrl() throws Exception {
        try (Session session = new Session()) {
            Target t = target(Map.of("analytics_db", Map.of("url", url, "user", "postgres")));
            Run named = run(SQL, "{query: \"SELECT count(*) FROM outlets\", endpoint: analytics_db}", "{equals: 4}",
                    context(Duration.ofSeconds(10), t, session, new Secrets()));
            assertThat(named.outcome()).as(named.toString()).isEqualTo(Outcome.PASS);
            Run inline = run(SQL, "{query: \"SELECT count(*) FROM outlets\", url: \"" + url + "\", user: postgres}", "{equals: 4}",
                    context(Duration.ofSeconds(10), target(Map.of()), session, new Secrets()));
            assertThat(inline.outcome()).as(inline.toString()).isEqualTo(Outcome.PASS);
        }
    }

    @Test
    void aRunsConnectionsToADatabaseAreBoundedAndClosedWithIt() throws Exception {
        String app = "tria-test-" + UUID.randomUUID().toString().substring(0, 8);
        Target t = pgTarget(url + "?ApplicationName=" + app);
        try (Session session = new Session()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Run>> runs = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    String q = "\"SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'\"";
                    runs.add(pool.submit(() -> run(SQL, q, "{between: [1, " + PgClient.MAX_CONNECTIONS + "]}",
                            context(Duration.ofSeconds(20), t, session, new Secrets()))));
                }
                for (Future<Run> f : runs) {
                    Run r = f.get(30, TimeUnit.SECONDS);
                    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'"))
                    .isBetween(1L, (long) PgClient.MAX_CONNECTIONS);
        }
        // closing the run's session closes the connection
        long open = 1;
        for (int i = 0; i < 50 && open > 0; i++) {
            open = scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'");
            if (open > 0) Thread.sleep(100);
        }
        assertThat(open).isZero();
    }

    @Test
    void valuesBecomePlainData() throws Exception {
        Run r = check("\"SELECT 1.5::numeric AS a, 10::numeric AS b, true AS c, ARRAY[1,2] AS d, '{\\\"k\\\": 1}'::jsonb AS e,"
                + " NULL::int AS f, 'x'::text AS g, 2.25::float8 AS h, 7::smallint AS i\"", "{row_count: 1}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = ((List<Map<String, Object>>) r.fact("rows")).get(0);
        assertThat(row).containsEntry("a", 1.5).containsEntry("b", 10L).containsEntry("c", true).containsEntry("d", List.of(1L, 2L))
                .containsEntry("e", "{\"k\": 1}").containsEntry("f", null).containsEntry("g", "x").containsEntry("h", 2.25).containsEntry("i", 7L);
    }
}
