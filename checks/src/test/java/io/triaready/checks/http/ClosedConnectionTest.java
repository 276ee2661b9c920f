package io.triaready.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.triaready.spi.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that close kept-alive connections (HTTP/1.0 servers, python's http.server, nginx during a
 * reload) never turn a check into an ERROR: a read that failed on a reused connection before any
 * answer is sent again once, on a new connection; a POST is never sent again, and goes on a new
 * connection instead. A connection that fails when new is the server's fault and an ERROR.
 */
@Timeout(120)
class ClosedConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    private Session session;
    private final CheckHarness harness = new CheckHarness(new HttpCheckType(), Map.of());

    @BeforeEach
    void open() { session = new Session(); }

    @AfterEach
    void close() { session.close(); }

    private List<String> outcomes(String yaml, int rounds) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            CheckHarness.Result r = harness.run(yaml, session, TIMEOUT);
            out.add(r.outcome() + (r.error() == null ? "" : ": " + r.error()));
        }
        return out;
    }

    @Test
    void pythonHttpServerGetAndHeadNeverError() throws Exception {
        Files.writeString(dir.resolve("health"), "ok\n");
        int port = TestHttpServer.closedPort();
        Process python = new ProcessBuilder("python3", "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1",
                "--directory", dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(port, python);
            String url = "http://127.0.0.1:" + port + "/health";
            // each check depends on the one before it in a run: same session, same pool
            List<String> got = outcomes("http: \"" + url + "\"\nexpect: {status: 200, body: {contains: ok}}\n", ROUNDS);
            got.addAll(outcomes("http: {url: \"" + url + "\", method: HEAD}\n", 10));
            // python's http.server has no POST: 501 is its honest answer, never an ERROR
            got.addAll(outcomes("http: {url: \"" + url + "\", method: POST, body: x}\nexpect: {status: 501}\n", 10));
            assertThat(got).hasSize(ROUNDS + 20).containsOnly("PASS");
        } finally {
            python.destroy();
            python.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void http10ServerClosingEveryConnection() throws Exception {
        try (var server = new ClosingHttpServer(ClosingHttpServer.Mode.HTTP10)) {
            List<String> got = outcomes("http: \"" + server.base() + "/health\"\nexpect: {body: {contains: ok GET}}\n", ROUNDS);
            assertThat(got).containsOnly("PASS");
        }
    }

    @Test
    void getDroppedOnAReusedConnectionIsSentAgainOnceOnANewOne() throws Exception {
        try (var server = new ClosingHttpServer(ClosingHttpServer.Mode.DROP_SECOND)) {
            List<CheckHarness.Result> results = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) results.add(harness.run("http: \"" + server.base() + "/health\"\n", session, TIMEOUT));
            assertThat(results).extracting(CheckHarness.Result::outcome).containsOnly("PASS");
            // the first check opened a connection; each later one went out on a kept-alive connection the
            // server dropped, then once more on a new one: never more than two sends per check
            assertThat(server.requests).hasSize(1 + 2 * (ROUNDS - 1)).containsOnly("GET");
            assertThat(server.connections.get()).isEqualTo(ROUNDS);
            assertThat(results.get(1).notes()).contains("sent again on a new connection");
            assertThat(results.get(0).notes()).doesNotContain("sent again");
        }
    }

    @Test
    void postIsNeverSentTwiceAndGoesOnANewConnection() throws Exception {
        try (var server = new ClosingHttpServer(ClosingHttpServer.Mode.DROP_SECOND)) {
            // a GET first leaves a kept-alive connection in the pool: the POSTs must not take it
            assertThat(outcomes("http: \"" + server.base() + "/health\"\n", 1)).containsOnly("PASS");
            List<String> got = outcomes("http: {url: \"" + server.base() + "/login\", method: POST, json: {a: 1}}\nexpect: {body: {contains: ok POST}}\n", ROUNDS);
            assertThat(got).containsOnly("PASS");
            assertThat(server.requests.stream().filter("POST"::equals).count()).isEqualTo(ROUNDS);
            assertThat(server.connections.get()).isEqualTo(1 + ROUNDS);
        }
    }

    @Test
    void aNewConnectionClosedWithoutAnAnswerIsAnErrorAndNotRetried() throws Exception {
        try (var server = new ClosingHttpServer(ClosingHttpServer.Mode.DROP_ALL)) {
            CheckHarness.Result r = harness.run("http: \"" + server.base() + "/health\"\n", session, TIMEOUT);
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.error()).contains("127.0.0.1:" + server.port());
            assertThat(server.requests).hasSize(1);
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    /**
     * The `fix` scenario: a route is missing (404, FAIL), nginx is reloaded with it (the old workers
     * close their idle kept-alive connections) and the next check must PASS, not ERROR on the pooled
     * connection the old worker closed. Then back, several times.
     */
    @Test
    void nginxReloadBetweenChecks() throws Exception {
        int port = TestHttpServer.closedPort();
        Path conf = dir.resolve("nginx.conf");
        Files.createDirectories(dir.resolve("logs"));
        writeNginx(conf, port, false);
        Process nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off; master_process on;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/out.log").toFile()).start();
        try {
            awaitListening(port, nginx);
            String check = "http: \"http://127.0.0.1:" + port + "/route\"\nexpect: {status: 200, body: {contains: routed}}\n";
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                boolean routed = i % 2 == 1;
                if (i > 0) {
                    writeNginx(conf, port, routed);
                    reload(nginx);
                }
                CheckHarness.Result r = harness.run(check, session, TIMEOUT);
                got.add(r.outcome() + (r.error() == null ? "" : ": " + r.error()));
            }
            assertThat(got).containsExactly("FAIL", "PASS", "FAIL", "PASS", "FAIL", "PASS");
        } finally {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void writeNginx(Path conf, int port, boolean routed) throws IOException {
        Path prefix = conf.getParent();
        Files.writeString(conf, """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  keepalive_timeout 60s;
                  server {
                    listen 127.0.0.1:%2$d;
                    location / { return 404 "no route\\n"; }
                    %3$s
                  }
                }
                """.formatted(prefix, port, routed ? "location = /route { return 200 \"routed\\n\"; }" : ""));
    }

    /** SIGHUP to our own nginx master, then waits until its old worker has gone (closing its idle connections). */
    private static void reload(Process nginx) throws Exception {
        Set<Long> before = workers(nginx);
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(nginx.pid())).start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            Set<Long> now = workers(nginx);
            if (!now.isEmpty() && now.stream().noneMatch(before::contains)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("nginx did not replace its workers within 10s");
    }

    private static Set<Long> workers(Process nginx) {
        return nginx.toHandle().children().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
    }

    private static void awaitListening(int port, Process p) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) throw new AssertionError("the server exited with " + p.exitValue());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on " + port + " after 15s");
    }
}
