package io.triaready.checks.prometheus;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.problems;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import io.triaready.base.secret.Secrets;
import io.triaready.core.expect.Missing;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.datacheck.CheckHarness;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against a real Prometheus (Debian package {@code prometheus}, binary {@code /usr/bin/prometheus}) that the
 * test starts with a 1s scrape interval on an in-test {@code /metrics} endpoint, and stops after.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public class PrometheusCheckTest {
    static final PrometheusCheckType PROM = new PrometheusCheckType();
    static HttpServer app;
    static Process prometheus;
    static Path dir;
    public static String promUrl;

    static final String METRICS = """
            # TYPE request_latency_seconds histogram
            request_latency_seconds_bucket{le="1"} 50
            request_latency_seconds_bucket{le="5"} 90
            request_latency_seconds_bucket{le="12"} 100
            request_latency_seconds_bucket{le="+Inf"} 100
            request_latency_seconds_sum 420
            request_latency_seconds_count 100
            # TYPE http_requests_total counter
            http_requests_total{status="200"} 980
            http_requests_total{status="500"} 20
            """;

    @BeforeAll
    public static void start() throws Exception {
        String binary = findPrometheus();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/metrics", ex -> {
            byte[] bytes = METRICS.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        app.start();
        dir = Files.createTempDirectory("tria-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: app
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(app.getAddress().getPort()));
        int port = CheckHarness.closedPort();
        promUrl = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        waitForSamples();
    }

    static String findPrometheus() {
        for (String p : List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus")) {
            if (new File(p).canExecute()) return p;
        }
        return fail("install prometheus (apt-get install -y prometheus): this test runs a real Prometheus server");
    }

    /** Up to 30s for Prometheus to start and take a first sample of the app (its scrape interval is 1s). */
    static void waitForSamples() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        String q = promUrl + "/api/v1/query?query=" + URLEncoder.encode("request_latency_seconds_count{job=\"app\"}", StandardCharsets.UTF_8);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!prometheus.isAlive()) break;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(q)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"value\"")) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        String log = Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : "";
        fail("Prometheus did not scrape the test app within 30s:\n" + log);
    }

    @AfterAll
    public static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
                prometheus.waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (app != null) app.stop(0);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Target promTarget() { return target(Map.of("prometheus", Map.of("url", promUrl))); }

    static Run check(Target t, String spec, String expect) {
        try (Session session = new Session()) {
            return run(PROM, spec, expect, context(Duration.ofSeconds(10), t, session, new Secrets()));
        }
    }

    static Run check(String spec, String expect) { return check(promTarget(), spec, expect); }

    @Test
    void scalarResult() throws Exception {
        Run r = check("\"scalar(up{job=\\\"app\\\"}) * 2\"", "{equals: 2}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        assertThat(r.fact("count")).isEqualTo(1L);
    }

    @Test
    void p95FromAHistogram() throws Exception {
        Run r = check("{query: 'histogram_quantile(0.95, sum(request_latency_seconds_bucket{job=\"app\"}) by (le))'}", "{lte: 12}");
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        assertThat(r.fact("value")).isEqualTo(8.5);
        Run strict = check("{query: 'histogram_quantile(0.95, sum(request_latency_seconds_bucket{job=\"app\"}) by (le))'}", "{lte: 5}");
        assertThat(strict.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(strict.failures()).containsExactly("value: expected <= 5, got 8.5");
    }

    @Test
    void vectorResults() throws Exception {
        Run one = check("'up{job=\"app\"}'", "{equals: 1}");
        assertThat(one.outcome()).as(one.toString()).isEqualTo(Outcome.PASS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) one.fact("series");
        assertThat(series).hasSize(1);
        assertThat(series.get(0).get("labels")).asString().contains("job=app");

        Run errorRate = check("{query: 'sum(http_requests_total{status=~\"5..\"}) / sum(http_requests_total)'}", "{lt: 0.05}");
        assertThat(errorRate.outcome()).as(errorRate.toString()).isEqualTo(Outcome.PASS);
        assertThat(errorRate.fact("value")).isEqualTo(0.02);

        Run many = check("'http_requests_total{job=\"app\"}'", "{values: {all: {gte: 10}}, count: 2}");
        assertThat(many.outcome()).as(many.toString()).isEqualTo(Outcome.PASS);
        assertThat(many.fact("value")).isEqualTo(Missing.INSTANCE);
        Run manyValue = check("'http_requests_total{job=\"app\"}'", "{gte: 0}");
        assertThat(manyValue.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(manyValue.facts().notes()).anyMatch(n -> n.startsWith("query returned 2 series: 'value' needs exactly one"));
    }

    @Test
    void emptyResultIsAFailEvenForAll() throws Exception {
        Run r = check("'up{job=\"nope\"}'", "{equals: 1}");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.facts().notes()).contains("query returned no series");
        Run all = check("'up{job=\"nope\"}'", "{values: {all: {lte: 12}}}");
        assertThat(all.outcome()).as("an empty result must not pass 'all'").isEqualTo(Outcome.FAIL);
        Run none = check("'up{job=\"nope\"}'", "{count: 0}");
        assertThat(none.outcome()).as(none.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void apiErrorsAreErrorsWithPrometheusText() {
        Run bad = check("'sum('", "{equals: 1}");
        assertThat(bad.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(bad.error()).startsWith("prometheus: bad_data: ").contains("parse error");
        Run range = check("'up[1m]'", "{equals: 1}");
        assertThat(range.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(range.error()).contains("range vector");
    }

    @Test
    void serverDownOrMissingEndpoint() throws Exception {
        int port = CheckHarness.closedPort();
        Run down = check(target(Map.of("prometheus", Map.of("url", "http://127.0.0.1:" + port))), "up", "{equals: 1}");
        assertThat(down.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(down.error()).startsWith("POST http://127.0.0.1:" + port + "/api/v1/query: ");
        Run missing = check(target(Map.of()), "up", "{equals: 1}");
        assertThat(missing.error()).startsWith("target 'test' has no prometheus endpoint (add prometheus: {url: ...} to the inventory");
        Run inline = check(target(Map.of()), "{query: 'up{job=\"app\"}', url: \"" + promUrl + "\"}", "{equals: 1}");
        assertThat(inline.outcome()).as(inline.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void yamlMistakes() {
        assertThat(problems(PROM, "{url: \"http://x\"}")).singleElement().asString().contains("missing required key 'query'");
        assertThat(problems(PROM, "{query: up, qurey: x}")).singleElement().asString().contains("did you mean 'query'");
        assertThat(problems(PROM, "{query: up, url: \"ftp:x\"}")).singleElement().asString().contains("'url' must be an http:// or https:// URL");
    }
}
