package io.triaready.checks.metrics;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.problems;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triaready.base.secret.Secrets;
import io.triaready.core.expect.Missing;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.datacheck.CheckHarness;
import io.triaready.spi.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scrapes a real HTTP server started by the test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsCheckTest {
    static final MetricsCheckType METRICS = new MetricsCheckType();
    static HttpServer server;
    static String base;
    static final AtomicLong scrapes = new AtomicLong();

    static final String TEXT = """
            # HELP vpbank_voice_agent_browser_sessions_total Browser sessions.
            # TYPE vpbank_voice_agent_browser_sessions_total counter
            vpbank_voice_agent_browser_sessions_total{form_type="loan",status="success"} 1.0
            vpbank_voice_agent_browser_sessions_total{form_type="card",status="success"} 4.0
            vpbank_voice_agent_browser_sessions_total{form_type="loan",status="failed"} 2.0
            # TYPE http_requests_total counter
            http_requests_total{status="200"} 980
            http_requests_total{status="404"} 10
            http_requests_total{status="500"} 6
            http_requests_total{status="503"} 4
            process_resident_memory_bytes 1.2e8
            """;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", TEXT));
        server.createContext("/openmetrics", ex -> respond(ex, 200, "application/openmetrics-text; version=1.0.0; charset=utf-8", """
                # TYPE vpbank_voice_agent_llm_cache_hits counter
                vpbank_voice_agent_llm_cache_hits_total{tier="l1"} 30.0 # {trace_id="abc"} 1.0
                vpbank_voice_agent_llm_cache_hits_total{tier="l2"} 12.0
                # TYPE vpbank_voice_agent_llm_cache_misses counter
                vpbank_voice_agent_llm_cache_misses_total 58.0
                # EOF
                """));
        // a counter that grows by 10 on every scrape, and one that never moves
        server.createContext("/growing", ex -> respond(ex, 200, "text/plain", "errors_total{code=\"500\"} " + (100 + 10 * scrapes.incrementAndGet())
                + "\nrequests_total 5000\nrestarts_total 3\n"));
        // an idle summary (quantiles NaN), a histogram's +Inf bucket and a gauge at -Inf: valid exposition
        server.createContext("/special", ex -> respond(ex, 200, "text/plain; version=0.0.4", """
                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{quantile="0.5"} NaN
                rpc_duration_seconds{quantile="0.99"} NaN
                rpc_duration_seconds_sum 0
                rpc_duration_seconds_count 0
                # TYPE request_seconds histogram
                request_seconds_bucket{le="0.5"} 3
                request_seconds_bucket{le="+Inf"} 5
                headroom_ratio +Inf
                floor_ratio -Inf
                """));
        server.createContext("/html", ex -> respond(ex, 200, "text/html", "<!DOCTYPE html>\n<html><body>Next.js</body></html>"));
        server.createContext("/secured", ex -> {
            if ("Bearer t0ken-value".equals(ex.getRequestHeaders().getFirst("Authorization"))) respond(ex, 200, "text/plain", "up 1\n");
            else respond(ex, 401, "text/plain", "no");
        });
        server.createContext("/", ex -> respond(ex, 404, "text/plain", "not found"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Run check(String spec, String expect) { return check(spec, expect, Duration.ofSeconds(10)); }

    static Run check(String spec, String expect, Duration timeout) {
        try (Session session = new Session()) {
            return run(METRICS, spec, expect, context(timeout, target(Map.of()), session, new Secrets()));
        }
    }

    @Test
    void namesShowWhatTheEndpointExposes() throws Exception {
        Run r = check("\"" + base + "/metrics\"", "{names: {contains: vpbank_voice_agent_browser_sessions_total, any: {matches: '^vpbank_'}}}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        Run missing = check("{url: \"" + base + "/metrics\"}", "{names: {contains: vpbank_voice_agent_llm_cache_hits_total}}");
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
        Run byDefault = check("{url: \"" + base + "/metrics\"}", null); // exists: anything at all was scraped
        assertThat(byDefault.outcome()).as(byDefault.toString()).isEqualTo(Outcome.PASS);
        assertThat(byDefault.fact("count")).isEqualTo(8L);
    }

    @Test
    void valueIsTheSumOfTheMatchedSeries() throws Exception {
        Run all = check("{url: \"" + base + "/metrics\", name: vpbank_voice_agent_browser_sessions_total}", "{equals: 7}");
        assertThat(all.outcome()).as(all.toString()).isEqualTo(Outcome.PASS);
        assertThat(all.fact("count")).isEqualTo(3L);

        Run loan = check("{url: \"" + base + "/metrics\", name: vpbank_voice_agent_browser_sessions_total, labels: {form_type: loan}}",
                "{value: 3, count: 2, exists: true}");
        assertThat(loan.outcome()).as(loan.toString()).isEqualTo(Outcome.PASS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) loan.fact("series");
        assertThat(series).hasSize(2);
        assertThat(series.get(0)).containsEntry("name", "vpbank_voice_agent_browser_sessions_total")
                .containsEntry("labels", Map.of("form_type", "loan", "status", "success")).containsEntry("value", 1.0);

        Run regex = check("{url: \"" + base + "/metrics\", name: http_requests_total, labels: {status: \"~5..\"}}", "{equals: 10}");
        assertThat(regex.outcome()).as(regex.toString()).isEqualTo(Outcome.PASS);
        Run selector = check("{url: \"" + base + "/metrics\", name: 'http_requests_total{status!=\"200\"}'}", "{equals: 20}");
        assertThat(selector.outcome()).as(selector.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void noSeriesMatchedIsAFailNeverAPass() throws Exception {
        Run r = check("{url: \"" + base + "/metrics\", name: http_requests_total, labels: {status: \"418\"}}", "{lte: 0}");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.fact("value")).isEqualTo(Missing.INSTANCE);
        assertThat(r.facts().notes()).contains("no series matched http_requests_total{status=\"418\"}");

        Run absent = check("{url: \"" + base + "/metrics\", name: nope_total}", null);
        assertThat(absent.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(absent.failures()).containsExactly("exists: expected true, got false");
        assertThat(absent.facts().notes()).contains("no series matched nope_total (no metric 'nope_total' in the scrape)");
    }

    @Test
    void expressionOverMetricNames() throws Exception {
        Run rate = check("{url: \"" + base + "/metrics\", value: 'http_requests_total{status=~\"5..\"} / http_requests_total'}", "{lt: 0.02}");
        assertThat(rate.outcome()).as(rate.toString()).isEqualTo(Outcome.PASS);
        assertThat(rate.fact("value")).isEqualTo(0.01);

        Run zero = check("{url: \"" + base + "/metrics\", value: 'http_requests_total{status=\"502\"} / http_requests_total'}", "{equals: 0}");
        assertThat(zero.outcome()).as(zero.toString()).isEqualTo(Outcome.PASS);
        assertThat(zero.facts().notes()).contains("no series matched http_requests_total{status=\"502\"}: counted as 0");

        Run absent = check("{url: \"" + base + "/metrics\", value: 'errors_total / http_requests_total'}", "{lt: 0.02}");
        assertThat(absent.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(absent.fact("value")).isEqualTo(Missing.INSTANCE);
        assertThat(absent.facts().notes()).anyMatch(n -> n.startsWith("not in the scrape: errors_total"));

        Run hitRate = check("{url: \"" + base + "/openmetrics\", value: 'vpbank_voice_agent_llm_cache_hits / "
                + "(vpbank_voice_agent_llm_cache_hits + vpbank_voice_agent_llm_cache_misses)'}", "{between: [0.30, 0.50]}");
        assertThat(hitRate.outcome()).as(hitRate.toString()).isEqualTo(Outcome.PASS);
        assertThat(hitRate.fact("value")).isEqualTo(0.42);

        Run divZero = check("{url: \"" + base + "/metrics\", value: 'http_requests_total / http_requests_total{status=\"302\"}'}", "{gte: 0}");
        assertThat(divZero.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(divZero.error()).contains("division by zero");
    }

    /** As Prometheus compares: NaN is false against every bound (and unequal to itself), +Inf above every number. */
    @Test
    void nanAndInfinityCompareAsInPrometheus() throws Exception {
        String url = "{url: \"" + base + "/special\", name: 'rpc_duration_seconds{quantile=\"0.99\"}'}";
        for (String expect : List.of("{lt: 0.5}", "{gte: 0}", "{between: [0, 1]}", "{equals: .nan}", "{not: {lt: 0.5}, gt: -1}")) {
            Run nan = check(url, expect);
            assertThat(nan.outcome()).as(expect + ": " + nan).isEqualTo(Outcome.FAIL);
            assertThat(nan.fact("value")).isEqualTo(Double.NaN);
        }
        Run lt = check(url, "{lt: 0.5}");
        assertThat(lt.failures()).containsExactly("value: expected < 0.5, got NaN (NaN is neither above nor below any number, as in Prometheus)");
        assertThat(lt.facts().notes()).anyMatch(n -> n.endsWith("= NaN over 1 series"));
        assertThat(check(url, "{exists: true}").outcome()).isEqualTo(Outcome.PASS);

        String inf = "{url: \"" + base + "/special\", name: headroom_ratio}";
        assertThat(check(inf, "{gt: 1e308}").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check(inf, "{equals: .inf}").outcome()).isEqualTo(Outcome.PASS);
        Run below = check(inf, "{lt: 100}");
        assertThat(below.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(below.failures()).containsExactly("value: expected < 100, got +Inf");
        assertThat(check("{url: \"" + base + "/special\", name: floor_ratio}", "{lt: -1e308}").outcome()).isEqualTo(Outcome.PASS);
        Run bucket = check("{url: \"" + base + "/special\", name: request_seconds_bucket, labels: {le: \"+Inf\"}}", "{equals: 5}");
        assertThat(bucket.outcome()).as(bucket.toString()).isEqualTo(Outcome.PASS);
        // an expression over a NaN series is NaN, and fails its bound instead of erroring
        Run expr = check("{url: \"" + base + "/special\", value: 'rpc_duration_seconds{quantile=\"0.5\"} * 2'}", "{lte: 1}");
        assertThat(expr.outcome()).as(expr.toString()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void rateOverTwoScrapes() throws Exception {
        Run growing = check("{url: \"" + base + "/growing\", name: errors_total, rate_over: 1s}", "{lte: 0}");
        assertThat(growing.outcome()).as(growing.toString()).isEqualTo(Outcome.FAIL);
        double perSecond = (Double) growing.fact("value");
        assertThat(perSecond).isGreaterThan(5).isLessThanOrEqualTo(10.5); // 10 more after ~1s
        assertThat(growing.facts().notes()).anyMatch(n -> n.startsWith("rate over 1") && n.endsWith("between two scrapes"));

        Run flat = check("{url: \"" + base + "/growing\", name: restarts_total, rate_over: 500ms}", "{lte: 0}");
        assertThat(flat.outcome()).as(flat.toString()).isEqualTo(Outcome.PASS);

        // "no new 5xx" where no 5xx series exists yet: written as an expression, no series counts as 0
        Run noErrorsYet = check("{url: \"" + base + "/growing\", value: 'errors_total{code=\"503\"}', rate_over: 300ms}", "{lte: 0}");
        assertThat(noErrorsYet.outcome()).as(noErrorsYet.toString()).isEqualTo(Outcome.PASS);

        Run tooLong = check("{url: \"" + base + "/growing\", name: errors_total, rate_over: 10s}", "{lte: 0}", Duration.ofSeconds(2));
        assertThat(tooLong.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(tooLong.error()).startsWith("rate_over 10s does not fit in the check's timeout (2s)");
        assertThat(tooLong.took()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void whatCannotBeScrapedIsAnError() throws Exception {
        Run notFound = check("\"" + base + "/nothing\"", null);
        assertThat(notFound.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(notFound.error()).isEqualTo("GET " + base + "/nothing -> HTTP 404: not a metrics endpoint");

        Run html = check("\"" + base + "/html\"", null);
        assertThat(html.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(html.error()).isEqualTo("GET " + base + "/html: not Prometheus/OpenMetrics text: line 1: invalid metric name '<!DOCTYPE'");

        int port = CheckHarness.closedPort();
        Run down = check("\"http://127.0.0.1:" + port + "/metrics\"", null);
        assertThat(down.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(down.error()).startsWith("GET http://127.0.0.1:" + port + "/metrics: ");
    }

    @Test
    void headers() throws Exception {
        assertThat(check("{url: \"" + base + "/secured\"}", null).outcome()).isEqualTo(Outcome.ERROR);
        Run ok = check("{url: \"" + base + "/secured\", headers: {Authorization: \"Bearer t0ken-value\"}}", null);
        assertThat(ok.outcome()).as(ok.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void httpsVerifiedWithCaFileOrInsecure() throws Exception {
        okhttp3.tls.HeldCertificate root = new okhttp3.tls.HeldCertificate.Builder().certificateAuthority(0).commonName("Metrics CA").build();
        okhttp3.tls.HeldCertificate leaf = new okhttp3.tls.HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(root).build();
        okhttp3.tls.HandshakeCertificates serverCerts = new okhttp3.tls.HandshakeCertificates.Builder().heldCertificate(leaf, root.certificate()).build();
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(serverCerts.sslContext()));
        https.createContext("/metrics", ex -> respond(ex, 200, "text/plain", "up 1\n"));
        https.start();
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("metrics-ca", ".pem");
        try {
            java.nio.file.Files.writeString(ca, root.certificatePem());
            String url = "https://localhost:" + https.getAddress().getPort() + "/metrics";
            Run untrusted = check("{url: \"" + url + "\", name: up}", "{equals: 1}");
            assertThat(untrusted.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(untrusted.error()).startsWith("GET " + url + ": ");
            Run trusted = check("{url: \"" + url + "\", name: up, ca_file: \"" + ca + "\"}", "{equals: 1}");
            assertThat(trusted.outcome()).as(trusted.toString()).isEqualTo(Outcome.PASS);
            Run insecure = check("{url: \"" + url + "\", name: up, insecure: true}", "{equals: 1}");
            assertThat(insecure.outcome()).as(insecure.toString()).isEqualTo(Outcome.PASS);
        } finally {
            https.stop(0);
            java.nio.file.Files.deleteIfExists(ca);
        }
    }

    @Test
    void yamlMistakes() {
        assertThat(problems(METRICS, "{url: \"https://x\", insecure: true, ca_file: /a.pem}")).singleElement().asString().contains("contradict");
        assertThat(problems(METRICS, "{name: x}")).singleElement().asString().contains("missing required key 'url'");
        assertThat(problems(METRICS, "{url: \"ftp://x\"}")).singleElement().asString().contains("'url' must be an http:// or https:// URL");
        assertThat(problems(METRICS, "{url: \"http://x\", name: a, value: b}")).singleElement().asString().contains("either 'name'");
        assertThat(problems(METRICS, "{url: \"http://x\", value: \"a / (b\"}")).singleElement().asString()
                .contains("invalid expression 'a / (b': missing ')' at position 7");
        assertThat(problems(METRICS, "{url: \"http://x\", value: 'a{x=y} + 1'}")).singleElement().asString().contains("the value of x must be quoted");
        assertThat(problems(METRICS, "{url: \"http://x\", rate_over: 10s}")).singleElement().asString().contains("'rate_over' needs 'name' or 'value'");
        assertThat(problems(METRICS, "{url: \"http://x\", name: a, rate_over: soon}")).singleElement().asString().contains("invalid duration");
        assertThat(problems(METRICS, "{url: \"http://x\", labels: {a: b}}")).singleElement().asString().contains("'labels' filters the series");
        assertThat(problems(METRICS, "{url: \"http://x\", nam: a}")).singleElement().asString().contains("did you mean 'name'");
    }
}
