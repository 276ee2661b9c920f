package io.triaready.checks.redis;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.problems;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.core.expect.Missing;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.datacheck.CheckHarness;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Against the real Redis on 127.0.0.1:6379 (keys under a prefix of this test's own, deleted after) and
 * redis-servers the test starts itself (password, ACL user, TLS).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisCheckTest {
    static final RedisCheckType REDIS = new RedisCheckType();
    static final String PREFIX = "tria-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    static final String SECRET = "s3cret-Redis-pw";
    static OwnRedis own;

    @BeforeAll
    static void setUp() throws Exception {
        try (Jedis j = shared()) {
            j.ping();
            j.set(PREFIX + "warm", "yes", SetParams.setParams().ex(600));
            j.set(PREFIX + "forever", "1");
            j.hset(PREFIX + "hash", Map.of("a", "1", "b", "2"));
            j.rpush(PREFIX + "list", "x", "y", "z");
        } catch (Exception e) {
            fail("Redis is needed on 127.0.0.1:6379: start it, e.g. `service redis-server start` (" + e.getMessage() + ")");
        }
        own = OwnRedis.start(SECRET, "--user", "auditor", "on", ">auditor-pw", "~*", "&*", "+@read", "+ping", "+info", "+dbsize",
                "+client|setname", "+select", "--user", "minimal", "on", ">minimal-pw", "~*", "+ping", "+info");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (Jedis j = shared()) {
            for (String k : List.of("warm", "forever", "hash", "list")) j.del(PREFIX + k);
        }
        if (own != null) own.close();
    }

    static Jedis shared() { return new Jedis("127.0.0.1", 6379, 2000); }

    static Target redisTarget(Map<String, Object> endpoint) { return target(Map.of("redis", endpoint)); }

    static Run check(Target t, String spec, String expect) {
        try (Session session = new Session()) {
            return run(REDIS, spec, expect, context(Duration.ofSeconds(10), t, session, new Secrets()));
        }
    }

    static Run check(String spec, String expect) { return check(redisTarget(Map.of("url", "redis://127.0.0.1:6379")), spec, expect); }

    @Test
    void ping() throws Exception {
        Run r = check("{ping: true}", null);
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        assertThat(r.fact("value")).isEqualTo("PONG");
        assertThat(r.facts().notes()).anyMatch(n -> n.startsWith("redis PING on 127.0.0.1:6379 in "));
    }

    @Test
    void infoFieldAndSection() throws Exception {
        Run version = check("{info: server, field: redis_version}", "{matches: '^\\d+\\.\\d+'}");
        assertThat(version.outcome()).as(version.toString()).isEqualTo(Outcome.PASS);

        Run memory = check("{info: memory, field: used_memory}", "{gt: 0}");
        assertThat(memory.outcome()).as(memory.toString()).isEqualTo(Outcome.PASS);
        assertThat(memory.fact("value")).isInstanceOf(Long.class);

        Run section = check("{info: replication}", "{info: {role: master}}");
        assertThat(section.outcome()).as(section.toString()).isEqualTo(Outcome.PASS);

        Run keyspace = check("{info: keyspace, field: db0.keys}", "{gte: 4}");
        assertThat(keyspace.outcome()).as(keyspace.toString()).isEqualTo(Outcome.PASS);

        Run typo = check("{info: stats, field: keyspace_hit}", null);
        assertThat(typo.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(typo.fact("value")).isEqualTo(Missing.INSTANCE);
        assertThat(typo.facts().notes()).contains("INFO stats has no field 'keyspace_hit' (did you mean 'keyspace_hits'?)");

        Run noSection = check("{info: nosuchsection}", null);
        assertThat(noSection.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(noSection.facts().notes()).anyMatch(n -> n.contains("returned nothing"));
    }

    @Test
    void derivedHitRatio() throws Exception {
        Target t = redisTarget(Map.of("url", own.url(), "password", SECRET));
        String spec = "{info: stats, value: \"keyspace_hits / (keyspace_hits + keyspace_misses)\"}";
        try (Jedis j = own.admin()) {
            j.configResetStat();
        }
        Run none = check(t, spec, "{gte: 0.3}");
        assertThat(none.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(none.error()).isEqualTo("value 'keyspace_hits / (keyspace_hits + keyspace_misses)': division by zero ('keyspace_hits + keyspace_misses' is 0)");
        try (Jedis j = own.admin()) {
            j.set("k", "v");
            j.get("k");
            j.get("k");
            j.get("k");
            j.get("missing");
            j.del("k");
        }
        Run ratio = check(t, spec, "{between: [0.30, 0.80]}");
        assertThat(ratio.outcome()).as(ratio.toString()).isEqualTo(Outcome.PASS);
        assertThat(ratio.fact("value")).isEqualTo(0.75);
        Run unknown = check(t, "{info: stats, value: \"keyspace_hitz + 1\"}", "{gte: 0}");
        assertThat(unknown.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(unknown.error()).contains("INFO stats has no field 'keyspace_hitz'");
    }

    @Test
    void keys() throws Exception {
        Run warm = check("{key: \"" + PREFIX + "warm\"}", "{exists: true, type: string, ttl: {between: [1, 600]}, value: \"yes\"}");
        assertThat(warm.outcome()).as(warm.toString()).isEqualTo(Outcome.PASS);

        Run forever = check("{key: \"" + PREFIX + "forever\"}", "{ttl: -1, length: 1}");
        assertThat(forever.outcome()).as(forever.toString()).isEqualTo(Outcome.PASS);

        Run hash = check("{key: \"" + PREFIX + "hash\"}", "{type: hash, length: 2, value: {a: \"1\"}}");
        assertThat(hash.outcome()).as(hash.toString()).isEqualTo(Outcome.PASS);

        Run list = check("{key: \"" + PREFIX + "list\"}", "{type: list, value: [x, y, z]}");
        assertThat(list.outcome()).as(list.toString()).isEqualTo(Outcome.PASS);

        Run missing = check("{key: \"" + PREFIX + "nope\"}", null);
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(missing.failures()).containsExactly("exists: expected true, got false");
        assertThat(missing.facts().notes()).contains("key '" + PREFIX + "nope' does not exist");
        assertThat(check("{key: \"" + PREFIX + "nope\"}", "{exists: false}").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void dbsize() throws Exception {
        Run r = check("{dbsize: true}", "{gte: 4}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        try (Jedis j = own.admin()) {
            j.select(3);
            j.set("a", "1");
            j.set("b", "2");
        }
        Run db3 = check(redisTarget(Map.of("url", own.url() + "/3", "password", SECRET)), "{dbsize: true}", "{equals: 2}");
        assertThat(db3.outcome()).as(db3.toString()).isEqualTo(Outcome.PASS);
        Run db3ByKey = check(redisTarget(Map.of("url", own.url(), "password", SECRET, "db", 3L)), "{dbsize: true}", "{equals: 2}");
        assertThat(db3ByKey.outcome()).as(db3ByKey.toString()).isEqualTo(Outcome.PASS);
        try (Jedis j = own.admin()) {
            j.select(3);
            j.flushDB(); // our own server, our own keys
        }
    }

    @Test
    void passwordAndAclUser() throws Exception {
        Run pw = check(redisTarget(Map.of("url", own.url(), "password", SECRET)), "{ping: true}", null);
        assertThat(pw.outcome()).as(pw.toString()).isEqualTo(Outcome.PASS);
        Run inUrl = check(redisTarget(Map.of("url", "redis://:" + SECRET + "@127.0.0.1:" + own.port)), "{ping: true}", null);
        assertThat(inUrl.outcome()).as(inUrl.toString()).isEqualTo(Outcome.PASS);
        Run acl = check(redisTarget(Map.of("url", own.url(), "user", "auditor", "password", "auditor-pw")), "{info: server, field: tcp_port}",
                "{equals: " + own.port + "}");
        assertThat(acl.outcome()).as(acl.toString()).isEqualTo(Outcome.PASS);
        // an ACL user allowed nothing but PING and INFO still connects (the client name is best effort)
        Run minimal = check(redisTarget(Map.of("url", own.url(), "user", "minimal", "password", "minimal-pw")), "{ping: true}", null);
        assertThat(minimal.outcome()).as(minimal.toString()).isEqualTo(Outcome.PASS);
        Run denied = check(redisTarget(Map.of("url", own.url(), "user", "minimal", "password", "minimal-pw")), "{dbsize: true}", null);
        assertThat(denied.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(denied.error()).contains("permission denied");
    }

    @Test
    void wrongOrMissingPasswordIsAnErrorThatNeverShowsIt() throws Exception {
        String wrong = "wr0ng-Passw0rd";
        Run r = check(redisTarget(Map.of("url", own.url(), "password", wrong)), "{ping: true}", null);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.error()).isEqualTo("cannot connect to redis 127.0.0.1:" + own.port + ": authentication failed (wrong user or password)");
        assertThat(r.error()).doesNotContain(wrong).doesNotContain(SECRET);

        Run aclWrong = check(redisTarget(Map.of("url", "redis://auditor:" + wrong + "@127.0.0.1:" + own.port)), "{ping: true}", null);
        assertThat(aclWrong.error()).contains("authentication failed").doesNotContain(wrong);

        Run none = check(redisTarget(Map.of("url", own.url())), "{ping: true}", null);
        assertThat(none.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(none.error()).contains("requires a password (add password: to the redis endpoint)");
    }

    @Test
    void serverDownIsAnErrorAndFast() throws Exception {
        int port = CheckHarness.closedPort();
        Run r = check(redisTarget(Map.of("url", "redis://127.0.0.1:" + port)), "{ping: true}", null);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.error()).startsWith("cannot connect to redis 127.0.0.1:" + port + ": ").containsIgnoringCase("refused");
        assertThat(r.took()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void hungServerCostsOneTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(silent.accept()); // accept, never answer
                } catch (Exception ignored) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (Session session = new Session()) {
                Target t = redisTarget(Map.of("url", "redis://127.0.0.1:" + silent.getLocalPort()));
                Run r = run(REDIS, "{ping: true}", null, context(Duration.ofSeconds(1), t, session, new Secrets()));
                assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(r.error()).contains("no answer within");
                assertThat(r.took()).isLessThan(Duration.ofSeconds(4));
            }
        } finally {
            for (Socket s : accepted) s.close();
        }
    }

    @Test
    void oneConnectionPerEndpointAndNoWriteCommands() throws Exception {
        try (Jedis j = own.admin()) {
            j.set("counter", "5");
            j.configResetStat();
        }
        Target t = redisTarget(Map.of("url", own.url(), "password", SECRET));
        try (Session session = new Session()) {
            for (String spec : List.of("{ping: true}", "{info: stats, field: total_connections_received}", "{key: counter}", "{dbsize: true}",
                    "{info: clients, field: connected_clients}")) {
                Run r = run(REDIS, spec, null, context(Duration.ofSeconds(10), t, session, new Secrets()));
                assertThat(r.outcome()).as(spec + " " + r).isEqualTo(Outcome.PASS);
            }
            Run received = run(REDIS, "{info: stats, field: total_connections_received}", "{equals: 1}",
                    context(Duration.ofSeconds(10), t, session, new Secrets()));
            assertThat(received.outcome()).as("one connection for the whole run: " + received).isEqualTo(Outcome.PASS);
        }
        try (Jedis j = own.admin()) {
            Map<String, Object> stats = RedisCheckType.parseInfo(j.info("commandstats"));
            List<String> commands = stats.keySet().stream().map(k -> k.replace("cmdstat_", "")).sorted().toList();
            assertThat(commands).isSubsetOf("ping", "info", "type", "ttl", "strlen", "get", "dbsize", "auth", "client|setname", "select",
                    "config|resetstat");
            assertThat(j.get("counter")).isEqualTo("5");
        }
    }

    @Test
    void tlsIsVerifiedUnlessInsecure() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("localhost").build();
        Path dir = Files.createTempDirectory("tria-redis-tls");
        Path crt = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        Files.writeString(crt, cert.certificatePem());
        Files.writeString(key, cert.privateKeyPkcs8Pem());
        int tlsPort = CheckHarness.closedPort();
        try (OwnRedis tls = OwnRedis.start(null, "--tls-port", String.valueOf(tlsPort), "--tls-cert-file", crt.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", crt.toString(), "--tls-auth-clients", "no")) {
            String url = "rediss://localhost:" + tlsPort;
            Run insecure = check(redisTarget(Map.of("url", url, "insecure", true)), "{ping: true}", null);
            assertThat(insecure.outcome()).as(insecure.toString()).isEqualTo(Outcome.PASS);
            Run verified = check(redisTarget(Map.of("url", url)), "{ping: true}", null);
            assertThat(verified.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(verified.error()).contains("TLS").contains("insecure: true");
        } finally {
            Files.deleteIfExists(crt);
            Files.deleteIfExists(key);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void yamlMistakes() {
        assertThat(problems(REDIS, "{}")).singleElement().asString().contains("a redis check needs one of: ping: true, info: <section>");
        assertThat(problems(REDIS, "{ping: true, dbsize: true}")).singleElement().asString().contains("'ping' and 'dbsize' cannot be combined");
        assertThat(problems(REDIS, "{key: x, field: y}")).singleElement().asString().contains("'field' goes with info: <section>");
        assertThat(problems(REDIS, "{info: stats, value: \"a / (b\"}")).singleElement().asString()
                .contains("invalid expression 'a / (b': missing ')' at position 7");
        assertThat(problems(REDIS, "{info: stats, feild: x}")).singleElement().asString().contains("unknown key 'feild'").contains("did you mean 'field'");
        assertThat(problems(REDIS, "{ping: true, url: \"http://x\"}")).singleElement().asString().contains("not a Redis URL");
        assertThat(problems(REDIS, "{ping: false}")).singleElement().asString().contains("'ping' must be true");
    }

    @Test
    void missingEndpoint() {
        Run r = check(target(new HashMap<>()), "{ping: true}", null);
        assertThat(r.error()).startsWith("target 'test' has no redis endpoint (add redis: {url: ...} to the inventory");
    }
}
