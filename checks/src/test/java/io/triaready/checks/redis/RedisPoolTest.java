package io.triaready.checks.redis;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * The run's Redis pool against a redis-server of the test's own with a password: a wrong password
 * never rides on a right one, a connection the server closed is replaced, and a hung connection holds
 * up no other check.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisPoolTest {
    static final RedisCheckType REDIS = new RedisCheckType();
    static final String PASSWORD = "right-" + Long.toHexString(System.nanoTime());
    static OwnRedis own;

    @BeforeAll
    static void start() throws Exception { own = OwnRedis.start(PASSWORD); }

    @AfterAll
    static void stop() throws Exception {
        if (own != null) own.close();
    }

    static Target endpoints(String url) {
        return target(Map.of(
                "redis", Map.of("url", url, "password", PASSWORD),
                "wrong", Map.of("url", url, "password", "wrong-password")));
    }

    static Run ping(Session session, String url, String endpoint, Duration timeout) {
        return run(REDIS, "{ping: true, endpoint: " + endpoint + "}", "{exists: true}", context(timeout, endpoints(url), session, new Secrets()));
    }

    @Test
    void aWrongPasswordNeverRidesOnARightOne() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 5; i++) {
                try (Session session = new Session()) {
                    Callable<Run> right = () -> ping(session, own.url(), "redis", Duration.ofSeconds(10));
                    Callable<Run> wrong = () -> ping(session, own.url(), "wrong", Duration.ofSeconds(10));
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
                    assertThat(got.get(1).error()).contains("authentication failed").doesNotContain("wrong-password");
                    assertThat(right.call().outcome()).isEqualTo(Outcome.PASS);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aConnectionTheServerClosedIsReplacedOnce() throws Exception {
        try (Session session = new Session(); Jedis admin = own.admin()) {
            for (int i = 0; i < 6; i++) {
                Run r = run(REDIS, "{info: server, field: redis_version}", "{exists: true}",
                        context(Duration.ofSeconds(10), endpoints(own.url()), session, new Secrets()));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
                if (i > 0) assertThat(r.facts().notes()).anyMatch(n -> n.contains("sent again on a new connection"));
                if (i < 5) {
                    // the server drops the audit's connections (a restart, CLIENT KILL)...
                    admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
                } else {
                    break;
                }
            }
            // ...or closes them when idle (its own `timeout`: this server is the test's own)
            admin.configSet("timeout", "1");
            try {
                assertThat(ping(session, own.url(), "redis", Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
                Thread.sleep(2500);
                Run r = ping(session, own.url(), "redis", Duration.ofSeconds(10));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
                assertThat(r.facts().notes()).anyMatch(n -> n.contains("sent again on a new connection"));
            } finally {
                try (Jedis again = own.admin()) {
                    again.configSet("timeout", "0");
                }
            }
        }
    }

    @Test
    void aHungConnectionHoldsUpNoOtherCheck() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (FreezingProxy proxy = new FreezingProxy(own.port); Session session = new Session()) {
            String url = "redis://127.0.0.1:" + proxy.port();
            assertThat(ping(session, url, "redis", Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
            proxy.freezeExisting();
            Future<Run> hung = threads.submit(() -> ping(session, url, "redis", Duration.ofSeconds(3)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (proxy.held.get() == 0 && System.nanoTime() < until) Thread.sleep(10);
            assertThat(proxy.held.get()).as("the hung check's command is on the frozen connection").isPositive();
            // shorter timeouts than the hung one's: they must not wait for it
            List<Future<Run>> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                others.add(threads.submit(() -> run(REDIS, "{dbsize: true, endpoint: redis}", "{exists: true}",
                        new QueueingContext(Duration.ofMillis(1500), endpoints(url), session, new Secrets()))));
            }
            for (Future<Run> f : others) {
                Run r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
            }
            Run h = hung.get(30, TimeUnit.SECONDS);
            assertThat(h.outcome()).as(h + " took " + h.took() + " held " + proxy.held.get()).isEqualTo(Outcome.ERROR);
            assertThat(h.error()).contains("no answer within");
            assertThat(h.took()).as("within its timeout + 1 s").isLessThan(Duration.ofSeconds(4));
            assertThat(ping(session, url, "redis", Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.PASS);
        } finally {
            threads.shutdownNow();
        }
    }
}
