package io.triaready.truth;

import static io.triaready.truth.TruthCase.error;
import static io.triaready.truth.TruthCase.fail;
import static io.triaready.truth.TruthCase.pass;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.triaready.checks.attest.Attestations;
import io.triaready.checks.http.TestHttpServer;
import io.triaready.checks.prometheus.PrometheusCheckTest;
import io.triaready.checks.redis.OwnRedis;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import io.triaready.testing.HostChecks;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The real servers of the truth matrix, started once: HTTP and HTTPS servers ({@link TestHttpServer}), a
 * server that closes every connection after one response ({@code python3 -m http.server}, HTTP/1.0), a
 * self-signed TLS server, a Redis with a password ({@link OwnRedis}), a Prometheus scraping an app
 * ({@link PrometheusCheckTest}'s), the shared PostgreSQL, and two sshds on this machine ({@link HostChecks}):
 * one as configured by default, one with {@code MaxSessions 2}. {@link #cases()} is one healthy and one
 * broken case (and an unreachable one where that differs) per check type; {@link #slowNeighbours()} the
 * hung checks of mode (c).
 */
final class TruthTargets implements AutoCloseable {
    static final boolean SYSTEMD = Files.isDirectory(Path.of("/run/systemd/system"));
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final List<AutoCloseable> open = new ArrayList<>();
    final Path dir;
    HostChecks ssh;
    HostChecks tightSsh;
    TestHttpServer http;
    TestHttpServer https;
    TestHttpServer selfSigned;
    Path caPem;
    int closing;
    OwnRedis redis;
    int closedPort;
    Path envFile;
    Path cronRoot;
    Path attestations;
    boolean prometheus;

    private TruthTargets(Path dir) { this.dir = dir; }

    static TruthTargets start(Path dir) throws Exception {
        TruthTargets t = new TruthTargets(dir);
        try {
            t.startAll();
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    private java.util.concurrent.Future<?> prometheusStarted;

    private void startAll() throws Exception {
        // Prometheus takes the longest (start, then a first scrape): it starts while the others do
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
        prometheus = true; // close() stops it even if it is still starting
        prometheusStarted = background.submit(() -> {
            PrometheusCheckTest.start();
            return null;
        });
        background.shutdown();
        ssh = keep(HostChecks.start(dir.resolve("ssh")));
        tightSsh = keep(HostChecks.start(dir.resolve("ssh-tight"), "MaxSessions 2"));
        http = keep(TestHttpServer.http());

        HeldCertificate ca = new HeldCertificate.Builder().commonName("Truth Test CA").certificateAuthority(0).duration(30, TimeUnit.DAYS).build();
        HeldCertificate leaf = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("localhost")
                .duration(30, TimeUnit.DAYS).signedBy(ca).build();
        https = keep(TestHttpServer.https(new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build().sslContext()));
        caPem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        HeldCertificate self = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("localhost")
                .duration(30, TimeUnit.DAYS).build();
        selfSigned = keep(TestHttpServer.https(new HandshakeCertificates.Builder().heldCertificate(self).build().sslContext()));

        closing = startClosingServer();
        redis = keep(OwnRedis.start("truth-" + Long.toHexString(System.nanoTime())));
        prometheusStarted.get(60, TimeUnit.SECONDS);
        closedPort = TestHttpServer.closedPort();

        envFile = Files.writeString(dir.resolve("app.env"), "DATABASE_URL=postgres://app@db/app\nTAX_RATE=0.07\n");
        cronRoot = dir.resolve("cron-root");
        Files.createDirectories(cronRoot.resolve("etc/cron.d"));
        Files.writeString(cronRoot.resolve("etc/crontab"), "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n");
        Files.writeString(cronRoot.resolve("etc/cron.d/health"), "*/5 * * * * root curl -fsS http://127.0.0.1/health\n");
        attestations = writeAttestations(dir.resolve("attestations.yaml"));
    }

    /**
     * The sign-offs of the attest cases, for every copy id (the matrix suffixes ids with {@code -n}; up to
     * {@value #MAX_COPIES} copies): {@code attest-healthy} signed off yesterday, {@code attest-broken} expired yesterday.
     */
    private static Path writeAttestations(Path file) throws IOException {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        StringBuilder b = new StringBuilder("attestations:\n");
        for (int n = -1; n < MAX_COPIES; n++) {
            String suffix = n < 0 ? "" : "-" + n;
            b.append("  - {check: attest-healthy").append(suffix).append(", target: truth, by: truth-matrix, at: ").append(today.minusDays(1)).append("}\n");
            b.append("  - {check: attest-broken").append(suffix).append(", target: truth, by: truth-matrix, at: ").append(today.minusDays(10))
                    .append(", expires: ").append(today.minusDays(1)).append("}\n");
        }
        return Files.writeString(file, b.toString());
    }

    static final int MAX_COPIES = 100;

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** {@code python3 -m http.server}: HTTP/1.0, closes the connection after every response. */
    private int startClosingServer() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<html>ok</html>\n");
        int port = TestHttpServer.closedPort();
        Process p = new ProcessBuilder("python3", "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1", "--directory", root.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("http.server.log").toFile()).start();
        open.add(() -> {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("python3 -m http.server did not start: " + Files.readString(dir.resolve("http.server.log")));
    }

    /** The audited target: one SSH host (this machine through {@code sshd}); the endpoints are in the checks. */
    Target target(HostChecks sshd) {
        return new Target("truth", List.of(new HostSpec("web", "ssh", sshd.sshSettings())), Map.of(),
                Map.of(Attestations.TARGET_VAR, attestations.toString()));
    }

    /** One healthy and one broken target per check type, against the started servers. */
    List<TruthCase> cases(HostChecks sshd) {
        return cases(new Addresses(http.base(), http.port(), https.port(), caPem, selfSigned.port(), closing, closedPort,
                PrometheusCheckTest.promUrl, redis.url(), redis.password, envFile, dir, cronRoot, sshd.sshd().port()));
    }

    /**
     * What the cases point at: the started servers ({@link #cases(HostChecks)}), or any addresses at all for
     * a reader of the list that runs nothing (CheckTypeContractTest: every check type has cases here).
     */
    record Addresses(String httpBase, int httpPort, int httpsPort, Path caPem, int selfSignedPort, int closingPort, int closedPort,
                     String promUrl, String redisUrl, String redisPassword, Path envFile, Path dir, Path cronRoot, int sshPort) {}

    /**
     * One healthy and one broken case per check type (ids {@code <type>-healthy}, {@code <type>-broken}; more
     * where a type has more ways to be wrong); {@code {{copy}}} in a body becomes the copy's suffix.
     */
    static List<TruthCase> cases(Addresses a) {
        String base = a.httpBase();
        String pg = "url: '" + PG_URL + "', user: postgres";
        String prom = a.promUrl();
        String httpsBase = "https://localhost:" + a.httpsPort();
        int closedPort = a.closedPort();
        Path caPem = a.caPem();
        Path envFile = a.envFile();
        Path cronRoot = a.cronRoot();
        List<TruthCase> c = new ArrayList<>();
        // http: a server that keeps connections open, and one that closes each (issue 14: closed keep-alive)
        c.add(pass("http-healthy", "http", "http: '" + base + "/health'\nexpect: {status: 200, json: {status: ok}}"));
        c.add(fail("http-broken", "http", "http: '" + base + "/no-such-page'"));
        c.add(error("http-unreachable", "http", null, "http: 'http://127.0.0.1:" + closedPort + "/health'"));
        c.add(pass("https-healthy", "http", "http: {url: '" + httpsBase + "/health', ca_file: '" + caPem + "'}"));
        for (int i = 1; i <= 4; i++) {
            String dep = i == 1 ? "" : "\ndepends_on: [closing-" + (i - 1) + "{{copy}}]";
            c.add(pass("closing-" + i, "http", "http: 'http://127.0.0.1:" + a.closingPort() + "/index.html'" + dep));
        }
        c.add(fail("closing-broken", "http", "http: 'http://127.0.0.1:" + a.closingPort() + "/missing.html'\ndepends_on: [closing-4{{copy}}]"));
        // tcp, tls
        c.add(pass("tcp-healthy", "tcp", "tcp: '127.0.0.1:" + a.httpPort() + "'"));
        c.add(fail("tcp-broken", "tcp", "tcp: {host: 127.0.0.1, port: " + closedPort + "}")); // the mapping; healthy: the shorthand
        c.add(pass("tls-healthy", "tls", "tls: {host: localhost, port: " + a.httpsPort() + ", ca_file: '" + caPem + "'}"));
        c.add(fail("tls-broken", "tls", "tls: 'localhost:" + a.selfSignedPort() + "'"));
        c.add(error("tls-unreachable", "tls", null, "tls: 'localhost:" + closedPort + "'"));
        // metrics, prometheus
        c.add(pass("metrics-healthy", "metrics", "metrics: {url: '" + base + "/metrics', name: http_requests_total}\nexpect: {gte: 1}"));
        c.add(fail("metrics-broken", "metrics", "metrics: {url: '" + base + "/metrics', name: tria_truth_absent_total}"));
        c.add(error("metrics-unreachable", "metrics", null, "metrics: 'http://127.0.0.1:" + closedPort + "/metrics'"));
        c.add(pass("prometheus-healthy", "prometheus",
                "prometheus: {url: '" + prom + "', query: 'sum(http_requests_total{job=\"app\",status=\"200\"})'}\nexpect: {gte: 1}"));
        c.add(fail("prometheus-broken", "prometheus",
                "prometheus: {url: '" + prom + "', query: 'sum(http_requests_total{job=\"app\",status=\"500\"})'}\nexpect: {equals: 0}"));
        c.add(error("prometheus-unreachable", "prometheus", null, "prometheus: {url: 'http://127.0.0.1:" + closedPort + "', query: up}\nexpect: {equals: 1}"));
        // sql (the shared PostgreSQL, read-only queries), redis (an own server with a password)
        c.add(pass("sql-healthy", "sql", "sql: {query: 'select count(*) from pg_database where datname = ''postgres''', " + pg + "}\nexpect: {equals: 1}"));
        c.add(fail("sql-broken", "sql", "sql: {query: 'select count(*) from pg_database where datname = ''tria_truth_absent''', " + pg + "}\nexpect: {equals: 1}"));
        c.add(error("sql-unreachable", "sql", null, "sql: {query: 'select 1', url: 'jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres', user: postgres}\nexpect: {equals: 1}"));
        c.add(pass("redis-healthy", "redis", "redis: {ping: true, url: '" + a.redisUrl() + "', password: '" + a.redisPassword() + "'}\nexpect: {equals: PONG}"));
        c.add(fail("redis-broken", "redis", "redis: {key: tria-truth-absent, url: '" + a.redisUrl() + "', password: '" + a.redisPassword() + "'}"));
        c.add(error("redis-wrong-password", "redis", null, "redis: {ping: true, url: '" + a.redisUrl() + "', password: 'not-the-password'}\nexpect: {equals: PONG}"));
        c.add(error("redis-unreachable", "redis", null, "redis: {ping: true, url: 'redis://127.0.0.1:" + closedPort + "'}\nexpect: {equals: PONG}"));
        // on the SSH host
        c.add(pass("command-healthy", "command", "command: 'echo ok'\nexpect: {exit_code: 0, stdout: ok}"));
        c.add(fail("command-broken", "command", "command: 'exit 3'"));
        c.add(pass("command-stdin", "command", "command: {run: cat, stdin: hello}\nexpect: {stdout: hello}"));
        c.add(pass("file-healthy", "file", "file: '" + envFile + "'"));
        c.add(fail("file-broken", "file", "file: {path: '" + a.dir().resolve("no-such-file") + "'}"));
        c.add(pass("process-healthy", "process", "process: sshd"));
        c.add(fail("process-broken", "process", "process: {name: tria-no-such-proc}"));
        c.add(pass("port-healthy", "port", "port: " + a.sshPort()));
        c.add(fail("port-broken", "port", "port: {port: " + closedPort + "}"));
        c.add(pass("cron-healthy", "cron", "cron: {pattern: 'curl .*/health', root: '" + cronRoot + "'}"));
        c.add(fail("cron-broken", "cron", "cron: {pattern: pg_dump, root: '" + cronRoot + "'}"));
        c.add(pass("env-file-healthy", "env_file", "env_file: {path: '" + envFile + "', required: [DATABASE_URL, TAX_RATE]}"));
        c.add(fail("env-file-broken", "env_file", "env_file: {path: '" + envFile + "', required: [DATABASE_URL, SENTRY_DSN]}"));
        c.add(pass("disk-healthy", "disk", "disk: /\nexpect: {used_percent: {between: [0, 100]}}"));
        c.add(fail("disk-broken", "disk", "disk: {mount: /}\nexpect: {used_percent: {lt: 0}}")); // no real disk is this empty
        c.add(pass("memory-healthy", "memory", "memory: {}\nexpect: {available_kb: {gt: 0}}"));
        c.add(fail("memory-broken", "memory", "memory: {}\nexpect: {available_percent: {gt: 100}}"));
        // attest: the sign-offs are in the target's attestations file (writeAttestations)
        c.add(pass("attest-healthy", "attest", "attest: {statement: 'The truth matrix signed this off'}"));
        c.add(fail("attest-broken", "attest", "attest: 'A sign-off that expired yesterday'"));
        if (SYSTEMD) {
            c.add(pass("service-healthy", "service", "service: systemd-journald"));
            c.add(fail("service-broken", "service", "service: {name: tria-no-such-unit-4711}"));
        } else {
            // no systemd on this machine (a container): the truth is an ERROR that says so, for both
            c.add(error("service-healthy", "service", "systemd is not running on web", "service: systemd-journald"));
            c.add(error("service-broken", "service", "systemd is not running on web", "service: {name: tria-no-such-unit-4711}"));
        }
        return c;
    }

    /** Mode (c): a hung command on the same SSH host, a hung query on the same database, a hung endpoint on the same server. */
    List<TruthCase> slowNeighbours() {
        return List.of(
                error("hung-command", "command", null, "timeout: 1s\ncommand: 'sleep 30'"),
                error("hung-query", "sql", null, "timeout: 1s\nsql: {query: 'select pg_sleep(30)', url: '" + PG_URL + "', user: postgres}\nexpect: {equals: 1}"),
                error("hung-http", "http", null, "timeout: 1s\nhttp: '" + http.base() + "/slow?ms=60000'"));
    }

    @Override
    public void close() {
        if (prometheus) {
            try {
                prometheusStarted.get(60, TimeUnit.SECONDS); // never stop it half-started: it would outlive the test
            } catch (Exception ignored) {
                // it failed to start: stop() cleans up what there is
            }
            try {
                PrometheusCheckTest.stop();
            } catch (Exception ignored) {
                // best effort
            }
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort: the others still close
            }
        }
    }
}
