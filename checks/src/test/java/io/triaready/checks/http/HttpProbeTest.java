package io.triaready.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.base.json.Json;
import io.triaready.spi.BasicProbeContext;
import io.triaready.spi.Session;
import io.triaready.transport.http.HttpClients;
import io.triaready.transport.local.LocalHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** http checks against a real HTTP server on loopback. */
@Timeout(60)
class HttpProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** "Finished within its timeout", with generous slack for a loaded CI machine. */
    private static final long SLACK_MS = 2500;

    private TestHttpServer server;
    private Session session;
    private CheckHarness harness;

    @BeforeEach
    void start() throws Exception {
        server = TestHttpServer.http();
        session = new Session();
        harness = new CheckHarness(new HttpCheckType(), Map.of("http.base_url", server.base()));
    }

    @AfterEach
    void stop() {
        session.close();
        server.close();
    }

    private CheckHarness.Result run(String yaml) { return harness.run(yaml, session, TIMEOUT); }

    @Test
    void healthJsonPathsHeadersAndResponseTime() {
        var r = run("""
                http: "${http.base_url}/health"
                expect:
                  status: 200
                  json: {"$.chromadb": connected, "$.services.redis": connected}
                  headers: {content-type: {matches: "^application/json"}}
                  duration_ms: {lt: 60000}
                """);
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        assertThat(r.notes()).matches("GET http://127\\.0\\.0\\.1:\\d+/health -> 200 in \\d+ms");
        assertThat(r.facts().accessed()).containsKeys("status", "json", "headers", "duration_ms");
        assertThat(r.facts().accessed().get("duration_ms")).isInstanceOf(Long.class);
    }

    @Test
    void plainHttpNeverSetsTlsUp() throws Exception {
        assertThat(run("http: \"${http.base_url}/health\"\n").outcome()).isEqualTo("PASS");
        assertThat(HttpClients.tlsLoaded(BasicProbeContext.of(TIMEOUT, LocalHost.INSTANCE, session)))
                .as("the trust store and JSSE are set up by the first https connection only").isFalse();
    }

    @Test
    void jsonPathMismatchIsAFailNamingThePath() {
        var r = run("""
                http: "${http.base_url}/health"
                expect: {json: {"$.services.xero": connected}}
                """);
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat(r.failures()).containsExactly("json $.services.xero: expected \"connected\", got \"disconnected\"");
    }

    @Test
    void bareMatchersApplyToTheBody() {
        assertThat(run("""
                http: "${http.base_url}/metrics"
                expect: {status: 200, contains: "http_requests_total", matches: '^http_requests_total \\d+$'}
                """).outcome()).isEqualTo("PASS");
        var r = run("""
                http: "${http.base_url}/html"
                expect: {status: 200, body: {not_contains: "having trouble processing"}}
                """);
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat(r.failures()).singleElement().asString().startsWith("body: expected not contains \"having trouble processing\", got \"<html>");
    }

    @Test
    void notFoundFailsTheDefaultExpectation() {
        var r = run("http: \"${http.base_url}/metrics-not-here\"\n");
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat(r.failures()).containsExactly("status: expected between 200 and 399, got 404");
        assertThat(r.notes()).matches("GET http://127\\.0\\.0\\.1:\\d+/metrics-not-here -> 404 in \\d+ms");
    }

    @Test
    void redirectsAreFollowedAndCounted() {
        var r = run("""
                http: "${http.base_url}/twice"
                expect: {status: 200, redirects: 2, url: {matches: "/health$"}, json: {"$.status": ok}}
                """);
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        assertThat(r.notes()).contains("/twice -> 200 in ").contains(" after 2 redirects (" + server.base() + "/health)");
        assertThat(server.received).extracting(TestHttpServer.Received::path).containsExactly("/twice", "/old", "/health");
    }

    @Test
    void redirectNotFollowedReportsThe3xxItself() {
        var r = run("""
                http: {url: "${http.base_url}/old", follow_redirects: false}
                expect: {status: 302, redirects: 0, headers: {location: /health}}
                """);
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        assertThat(server.received).extracting(TestHttpServer.Received::path).containsExactly("/old");
        // and the default expectation (200-399) accepts a redirect that was not followed
        assertThat(run("http: {url: \"${http.base_url}/old\", follow_redirects: false}\n").outcome()).isEqualTo("PASS");
        var strict = run("""
                http: {url: "${http.base_url}/old", follow_redirects: false}
                expect: {status: 200}
                """);
        assertThat(strict.failures()).containsExactly("status: expected 200, got 302");
    }

    @Test
    void redirectLoopIsAnError() {
        var r = run("http: \"${http.base_url}/loop\"\n");
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).isEqualTo("too many redirects (more than 20) from " + server.base() + "/loop");
    }

    @Test
    void postSendsMethodHeadersQueryAndJsonBody() throws Exception {
        var r = run("""
                http:
                  method: POST
                  url: "${http.base_url}/echo"
                  headers: {X-Request-Id: readiness-probe, Authorization: "Bearer s3cret-token"}
                  query: {q: hello world, lang: "en&fr"}
                  json: {message: hello, user_id: readiness-probe, n: 3, ok: true, tags: [a, b]}
                expect: {status: 200, json: {"$.method": POST}}
                """);
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        TestHttpServer.Received got = server.received.get(0);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.query()).isEqualTo("q=hello%20world&lang=en%26fr");
        assertThat(got.headers()).containsEntry("x-request-id", "readiness-probe")
                .containsEntry("authorization", "Bearer s3cret-token")
                .containsEntry("content-type", "application/json; charset=utf-8")
                .containsEntry("user-agent", "tria-ready");
        assertThat(Json.parse(got.body())).isEqualTo(Map.of("message", "hello", "user_id", "readiness-probe", "n", 3,
                "ok", true, "tags", List.of("a", "b")));
        assertThat(r.notes()).startsWith("POST " + server.base() + "/echo?q=hello%20world&lang=en%26fr -> 200 in ")
                .doesNotContain("s3cret");
    }

    @Test
    void formAndRawBodies() {
        assertThat(run("""
                http: {method: POST, url: "${http.base_url}/echo", form: {a: "b c", "d&": "é"}}
                """).outcome()).isEqualTo("PASS");
        assertThat(server.received.get(0).body()).isEqualTo("a=b+c&d%26=%C3%A9");
        assertThat(server.received.get(0).headers()).containsEntry("content-type", "application/x-www-form-urlencoded");

        assertThat(run("""
                http:
                  method: POST
                  url: "${http.base_url}/echo"
                  headers: {Content-Type: application/x-ndjson}
                  body: "{\\"a\\": 1}\\n"
                expect: {json: {"$.body": "{\\"a\\": 1}\\n"}}
                """).outcome()).isEqualTo("PASS");
        assertThat(server.received.get(1).headers()).containsEntry("content-type", "application/x-ndjson");
    }

    @Test
    void postWithoutBodySendsAnEmptyOne() {
        assertThat(run("http: {method: POST, url: \"${http.base_url}/echo\"}\n").outcome()).isEqualTo("PASS");
        assertThat(server.received.get(0).headers()).containsEntry("content-length", "0");
    }

    @Test
    void bodyThatIsNotJsonIsAnErrorWhenJsonIsExpected() {
        var r = run("""
                http: "${http.base_url}/html"
                expect: {json: {"$.status": ok}}
                """);
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).startsWith("not JSON: Unexpected character ('<' (code 60))")
                .endsWith("(content-type text/html; charset=utf-8, 71 bytes)");
    }

    @Test
    void repeatedHeadersAreJoinedUnderLowerCaseNames() throws Exception {
        var r = run("""
                http: "${http.base_url}/multi"
                expect: {headers: {x-multi: "a, b", Content-Type: text/plain}}
                """);
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        assertThat(r.facts().get("headers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("x-multi", "a, b").containsKey("content-type").doesNotContainKey("Content-Type");
    }

    @Test
    void bigBodyIsCut() throws Exception {
        var r = run("""
                http: "${http.base_url}/big"
                expect: {contains: xxx}
                """);
        assertThat(r.outcome()).isEqualTo("PASS");
        assertThat((String) r.facts().get("body")).hasSize(HttpProbe.MAX_BODY);
        assertThat(r.notes()).endsWith("; body cut at 4 MB");
    }

    @Test
    void responseTimeIsMeasuredToTheLastByte() throws Exception {
        var r = run("""
                http: "${http.base_url}/slow?ms=300"
                expect: {duration_ms: {lt: 100}}
                """);
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat((Long) r.facts().get("duration_ms")).isGreaterThanOrEqualTo(300);
        assertThat(r.failures()).singleElement().asString().startsWith("duration_ms: expected < 100, got ");
    }

    @Test
    void slowServerCostsTheCheckTimeout() {
        var p = harness.parse("http: \"${http.base_url}/slow?ms=20000\"\n");
        var r = harness.run(p, session, Duration.ofMillis(500));
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).isEqualTo("no response within 500ms");
        assertThat(r.elapsedMs()).isLessThan(500 + SLACK_MS);
    }

    @Test
    void timeoutKeyOverridesALongerCheckTimeout() {
        var r = run("http: {url: \"${http.base_url}/slow?ms=20000\", timeout: 700ms}\n");
        assertThat(r.error()).isEqualTo("no response within 700ms");
        assertThat(r.elapsedMs()).isLessThan(700 + SLACK_MS);
    }

    @Test
    void bodyThatNeverEndsIsCutAtTheTimeout() throws Exception {
        // one byte every 100ms: no single read times out, only the whole-call deadline ends it
        var p = harness.parse("http: \"${http.base_url}/trickle\"\n");
        var r = harness.run(p, session, Duration.ofMillis(800));
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).isEqualTo("status 200 but the body was not complete within 800ms");
        assertThat(r.elapsedMs()).isLessThan(800 + SLACK_MS);
        assertThat(runningCalls()).isZero();
    }

    /** Calls the run's shared dispatcher still counts as running (synchronous calls included). */
    private int runningCalls() throws Exception {
        return HttpClients.shared(BasicProbeContext.of(TIMEOUT, LocalHost.INSTANCE, session)).dispatcher().runningCallsCount();
    }

    @Test
    void silentServerIsAnErrorWithinTheTimeout() throws Exception {
        try (var silent = new TestHttpServer.Silent()) {
            var p = harness.parse("http: \"http://127.0.0.1:" + silent.port() + "/health\"\n");
            var r = harness.run(p, session, Duration.ofMillis(500));
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.error()).isEqualTo("no response within 500ms");
            assertThat(r.elapsedMs()).isLessThan(500 + SLACK_MS);
            assertThat(silent.connections()).isEqualTo(1); // one attempt, no silent retry
            // the call was cancelled, not left running: its socket is closed and no call is in flight
            assertThat(silent.clientClosed(0, 2000)).isTrue();
            assertThat(runningCalls()).isZero();
        }
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int port = TestHttpServer.closedPort();
        var r = run("http: \"http://127.0.0.1:" + port + "/health\"\n");
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).isEqualTo("connection refused by 127.0.0.1:" + port);
    }

    @Test
    void unknownHost() {
        var r = run("http: \"http://no-such-host.invalid/health\"\n");
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).isEqualTo("unknown host 'no-such-host.invalid'");
    }

    @Test
    void plainHttpPortAskedForTls() throws Exception {
        // what nginx does when a TLS hello reaches its plain port: an HTTP 400 in clear text
        byte[] answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var plain = new TestHttpServer.Silent(answer)) {
            var r = run("http: \"https://127.0.0.1:" + plain.port() + "/health\"\n");
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.error()).isEqualTo("TLS handshake with 127.0.0.1:" + plain.port()
                    + " failed: the server does not speak TLS on this port (is it plain http?)");
        }
    }

    @Test
    void checksOfARunShareTheSessionsConnectionPool() {
        // different timeouts and redirect policies derive per-check clients from the one shared pool
        assertThat(run("http: {url: \"${http.base_url}/health\", timeout: 5s}\n").outcome()).isEqualTo("PASS");
        assertThat(run("http: {url: \"${http.base_url}/metrics\", timeout: 7s, follow_redirects: false}\n").outcome()).isEqualTo("PASS");
        assertThat(server.received).hasSize(2);
        // same client port: the second request went over the first one's kept-alive connection
        assertThat(server.received.get(1).remote()).isEqualTo(server.received.get(0).remote());
    }

    @Test
    void separateSessionsDoNotShareConnections() {
        assertThat(run("http: \"${http.base_url}/health\"\n").outcome()).isEqualTo("PASS");
        try (Session other = new Session()) {
            assertThat(harness.run("http: \"${http.base_url}/health\"\n", other, TIMEOUT).outcome()).isEqualTo("PASS");
        }
        assertThat(server.received.get(1).remote()).isNotEqualTo(server.received.get(0).remote());
    }
}
