package io.triaready.checks.sql;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.datacheck.QueueingContext;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.transport.postgres.PgClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The run's PostgreSQL pool against a cluster of the test's own with password logins: a wrong password
 * never rides on a right one, a slow query neither holds up nor outlives the others, a connection the
 * server closed is replaced, and waiting for a connection is queued time, not the query's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SqlPoolTest {
    static final SqlCheckType SQL = new SqlCheckType();
    static final String PASSWORD = "right-" + Long.toHexString(System.nanoTime());
    static OwnPostgres pg;

    @BeforeAll
    static void start() throws Exception { pg = OwnPostgres.start(PASSWORD); }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) pg.close();
    }

    static Target endpoints() {
        return target(Map.of(
                "postgres", Map.of("url", pg.url(), "user", "postgres", "password", PASSWORD),
                "wrong", Map.of("url", pg.url(), "user", "postgres", "password", "wrong-password")));
    }

    static Run check(Session session, String query, String expect, Duration timeout) {
        return run(SQL, "{query: \"" + query + "\"}", expect, context(timeout, endpoints(), session, new Secrets()));
    }

    static long scalar(String sql) throws Exception {
        try (Connection c = pg.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long sleeping() throws Exception {
        return scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'");
    }

    @Test
    void aWrongPasswordNeverRidesOnARightOne() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 5; i++) {
                try (Session session = new Session()) {
                    Callable<Run> right = () -> check(session, "SELECT 1", "{equals: 1}", Duration.ofSeconds(10));
                    Callable<Run> wrong = () -> run(SQL, "{query: \"SELECT 1\", endpoint: wrong}", "{equals: 1}",
                            context(Duration.ofSeconds(10), endpoints(), session, new Secrets()));
                    // first one way round, then the other, then both at once
                    List<Run> got = new ArrayList<>();
                    if (i % 3 == 0) {
                        got.add(right.call());
                        got.add(wrong.call());
                    } else if (i % 3 == 1) {
                        Run w = wrong.call();
                        got.add(right.call());
                        got.add(w);
                    } else {
                        Future<Run> w = threads.submit(wrong);
                        got.add(threads.submit(right).get(30, TimeUnit.SECONDS));
                        got.add(w.get(30, TimeUnit.SECONDS));
                    }
                    assertThat(got.get(0).outcome()).as("run %d right: %s", i, got.get(0)).isEqualTo(Outcome.PASS);
                    assertThat(got.get(1).outcome()).as("run %d wrong: %s", i, got.get(1)).isEqualTo(Outcome.ERROR);
                    assertThat(got.get(1).error()).contains("password authentication failed").doesNotContain("wrong-password");
                    // and the right one still passes after the wrong one failed
                    assertThat(right.call().outcome()).isEqualTo(Outcome.PASS);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aSlowQueryNeitherHoldsUpTheOthersNorOutlivesItsTimeout() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (Session session = new Session()) {
            assertThat(check(session, "SELECT 1", "{equals: 1}", Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
            Future<Run> slow = threads.submit(() -> check(session, "SELECT pg_sleep(30)", "{row_count: 1}", Duration.ofSeconds(3)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sleeping() == 0 && System.nanoTime() < until) Thread.sleep(20);
            assertThat(sleeping()).as("the slow query is running").isEqualTo(1);
            // healthy checks with a shorter timeout than the slow one's: they must not wait for it
            List<Future<Run>> healthy = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                healthy.add(threads.submit(() -> run(SQL, "{query: \"SELECT count(*) FROM pg_class\"}", "{gt: 0}",
                        new QueueingContext(Duration.ofMillis(1500), endpoints(), session, new Secrets()))));
            }
            for (Future<Run> f : healthy) {
                Run r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
            }
            Run s = slow.get(30, TimeUnit.SECONDS);
            assertThat(s.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(s.error()).contains("the check's timeout ran out");
            assertThat(s.took()).as("within its timeout + 1 s").isLessThan(Duration.ofSeconds(4));
            // cancelled on the server, not left sleeping there
            assertThat(sleeping()).isZero();
            // and the pool is healthy afterwards
            assertThat(check(session, "SELECT 2", "{equals: 2}", Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aConnectionTheServerClosedIsReplacedOnce() throws Exception {
        try (Session session = new Session()) {
            for (int i = 0; i < 5; i++) {
                Run r = check(session, "SELECT " + i, "{equals: " + i + "}", Duration.ofSeconds(10));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
                if (i > 0) assertThat(r.facts().notes()).anyMatch(n -> n.contains("run again on a new connection"));
                // the server ends every session of the audit (a restart, an admin, a pooler would)
                assertThat(scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                        + PgClient.APPLICATION_NAME + "'")).isPositive();
            }
        }
    }

    @Test
    void waitingForAConnectionIsQueuedNotTheQueryTime() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(PgClient.MAX_CONNECTIONS);
        try (Session session = new Session()) {
            List<Future<Run>> busy = new ArrayList<>();
            for (int i = 0; i < PgClient.MAX_CONNECTIONS; i++) {
                busy.add(threads.submit(() -> check(session, "SELECT pg_sleep(2)", "{row_count: 1}", Duration.ofSeconds(20))));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (sleeping() < PgClient.MAX_CONNECTIONS && System.nanoTime() < until) Thread.sleep(20);
            assertThat(sleeping()).as("every pooled connection is busy").isEqualTo(PgClient.MAX_CONNECTIONS);
            // without the engine's moving deadline, a wait past the check's time says what happened
            Run gaveUp = check(session, "SELECT 1", "{equals: 1}", Duration.ofMillis(300));
            assertThat(gaveUp.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(gaveUp.error()).startsWith("no connection to postgres 127.0.0.1:" + pg.port + "/postgres as postgres came free within")
                    .endsWith("all " + PgClient.MAX_CONNECTIONS + " are busy with other checks");
            // with it, a 1 s check waits its turn and passes; the wait is queued, not its duration
            QueueingContext ctx = new QueueingContext(Duration.ofSeconds(1), endpoints(), session, new Secrets());
            Run waited = run(SQL, "{query: \"SELECT 1\"}", "{equals: 1}", ctx);
            assertThat(waited.outcome()).as(waited.toString()).isEqualTo(Outcome.PASS);
            long ms = (Long) waited.fact("duration_ms");
            assertThat(ctx.queuedTotal()).isGreaterThan(Duration.ofMillis(500));
            assertThat(ms).isLessThan(ctx.queuedTotal().toMillis());
            for (Future<Run> f : busy) assertThat(f.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.PASS);
        } finally {
            threads.shutdownNow();
        }
    }
}
