package io.triaready.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.triaready.checks.metrics.Selector;
import io.triaready.transport.http.Exposition.Sample;
import io.triaready.transport.http.Exposition.Scrape;
import org.junit.jupiter.api.Test;

class ExpositionTest {
    @Test
    void prometheusTextFormat() throws Exception {
        Scrape s = Exposition.parse("""
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                # Escaping in label values:
                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

                # Minimalistic line:
                metric_without_timestamp_and_labels 12.47
                # A weird metric from before the epoch:
                something_weird{problem="division by zero"} +Inf -3982045
                # A histogram, which has a pretty complex representation in the text format:
                # HELP http_request_duration_seconds A histogram of the request duration.
                # TYPE http_request_duration_seconds histogram
                http_request_duration_seconds_bucket{le="0.05"} 24054
                http_request_duration_seconds_bucket{le="+Inf"} 144320
                http_request_duration_seconds_sum 53423
                http_request_duration_seconds_count 144320
                # Finally a summary, which has a complex representation, too:
                rpc_duration_seconds{quantile="0.5",} 4773
                empty_labels{} NaN
                neg{a="b"} -Inf
                """);
        List<Sample> samples = s.samples();
        assertThat(samples).hasSize(12);
        assertThat(samples.get(0)).isEqualTo(new Sample("http_requests_total", Map.of("method", "post", "code", "200"), 1027));
        assertThat(samples.get(1).value()).isEqualTo(3);
        assertThat(samples.get(2).labels()).containsEntry("path", "C:\\DIR\\FILE.TXT").containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
        assertThat(samples.get(2).value()).isEqualTo(1.458255915e9);
        assertThat(samples.get(3)).isEqualTo(new Sample("metric_without_timestamp_and_labels", Map.of(), 12.47));
        assertThat(samples.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(samples.get(6).labels()).containsEntry("le", "+Inf");
        assertThat(samples.get(9).labels()).containsExactly(Map.entry("quantile", "0.5"));
        assertThat(samples.get(10).value()).isNaN();
        assertThat(samples.get(11).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.types()).containsEntry("http_requests_total", "counter").containsEntry("http_request_duration_seconds", "histogram");
        assertThat(s.names()).contains("http_request_duration_seconds", "http_request_duration_seconds_bucket", "http_requests_total");
    }

    @Test
    void openMetrics() throws Exception {
        Scrape s = Exposition.parse("""
                # TYPE acme_http_router_request_seconds summary
                # UNIT acme_http_router_request_seconds seconds
                # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
                acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
                acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
                acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
                # TYPE vpbank_voice_agent_llm_cache_hits counter
                vpbank_voice_agent_llm_cache_hits_total{tier="l1"} 17.0 1520879607.789
                vpbank_voice_agent_llm_cache_hits_total{tier="l2"} 3 # {trace_id="KOO5S4vxi0o"} 0.67
                foo_bucket{le="0.01"} 0 # {trace_id="a b}c"} 0.005 1520879607.789
                {"my.dotted.metric", "service.name"="checkout"} 4
                # EOF
                after_eof_is_ignored 1
                """);
        assertThat(s.samples()).hasSize(7);
        assertThat(s.samples().get(1).value()).isEqualTo(807283.0);
        assertThat(s.samples().get(3).value()).isEqualTo(17.0);
        assertThat(s.samples().get(4).value()).isEqualTo(3);
        assertThat(s.samples().get(6)).isEqualTo(new Sample("my.dotted.metric", Map.of("service.name", "checkout"), 4));
        assertThat(s.types()).containsEntry("vpbank_voice_agent_llm_cache_hits", "counter")
                .containsEntry("acme_http_router_request_seconds", "summary");
        assertThat(s.names()).contains("vpbank_voice_agent_llm_cache_hits", "vpbank_voice_agent_llm_cache_hits_total", "my.dotted.metric");
    }

    @Test
    void crlfAndTabs() throws Exception {
        Scrape s = Exposition.parse("a 1\r\nb\t2\r\n");
        assertThat(s.samples()).extracting(Sample::name).containsExactly("a", "b");
    }

    @Test
    void notMetricsSaysWhichLine() {
        assertThatThrownBy(() -> Exposition.parse("<!DOCTYPE html>\n<html>")).hasMessage("line 1: invalid metric name '<!DOCTYPE'");
        assertThatThrownBy(() -> Exposition.parse("ok 1\nbad{a=\"b\" 1")).hasMessage("line 2: expected ',' or '}' after label a");
        assertThatThrownBy(() -> Exposition.parse("m{a=b} 1")).hasMessage("line 1: the value of label a must be quoted");
        assertThatThrownBy(() -> Exposition.parse("m{a=\"b} 1")).hasMessage("line 1: unterminated quoted string");
        assertThatThrownBy(() -> Exposition.parse("m one")).hasMessage("line 1: invalid value 'one' for m");
        assertThatThrownBy(() -> Exposition.parse("m")).hasMessage("line 1: missing value for m");
        assertThatThrownBy(() -> Exposition.parse("m 1 2 3")).hasMessage("line 1: unexpected '3' after the value");
        assertThatThrownBy(() -> Exposition.parse("m 1 soon")).hasMessage("line 1: invalid timestamp 'soon' for m");
        assertThatThrownBy(() -> Exposition.parse("m 1.0d")).hasMessage("line 1: invalid value '1.0d' for m");
    }

    @Test
    void selectors() {
        Selector sel = Selector.parse("http_requests_total{status=~\"5..\", method!=\"OPTIONS\"}");
        assertThat(sel.name()).isEqualTo("http_requests_total");
        assertThat(sel.matches(new Sample("http_requests_total", Map.of("status", "503", "method", "GET"), 1))).isTrue();
        assertThat(sel.matches(new Sample("http_requests_total", Map.of("status", "503", "method", "OPTIONS"), 1))).isFalse();
        assertThat(sel.matches(new Sample("http_requests_total", Map.of("status", "1503"), 1))).isFalse(); // whole-value regex
        assertThat(sel.matches(new Sample("other", Map.of("status", "503"), 1))).isFalse();
        assertThat(sel.toString()).isEqualTo("http_requests_total{status=~\"5..\", method!=\"OPTIONS\"}");

        List<Selector.LabelMatcher> fromMap = Selector.fromMap(Map.of("status", "~5.."));
        assertThat(Selector.parse("x").orLabels(fromMap).matches(new Sample("x", Map.of("status", "500"), 1))).isTrue();
        assertThat(Selector.parse("x{a=\"\"}").matches(new Sample("x", Map.of(), 1))).isTrue(); // absent label is ""

        assertThatThrownBy(() -> Selector.parse("x{a=b}")).hasMessage("the value of a must be quoted");
        assertThatThrownBy(() -> Selector.parse("x{a=~\"(\"}")).hasMessageStartingWith("invalid regex for a");
        assertThatThrownBy(() -> Selector.parse("{a=\"b\"}")).hasMessage("a metric name is needed before '{'");
        assertThatThrownBy(() -> Selector.parse("x{a<\"b\"}")).hasMessage("expected =, !=, =~ or !~ after a");
    }
}
