package io.triaready.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.triaready.builtin.BuiltIns;
import org.junit.jupiter.api.Test;


/** The http check's YAML: what is accepted, and every mistake reported at its file:line:column. */
class HttpCheckTypeParseTest {
    private final CheckHarness harness = new CheckHarness(new HttpCheckType(), Map.of("http.base_url", "https://tria.example.com"));

    private CheckHarness.Parsed parse(String yaml) { return harness.parse(yaml); }

    @Test
    void registeredAsBuiltin() {
        assertThat(BuiltIns.checkTypes().get("http")).get().isInstanceOf(HttpCheckType.class);
    }

    @Test
    void scalarIsShorthandForGetUrl() {
        var p = parse("http: \"${http.base_url}/health\"\n");
        assertThat(p.problems()).isEmpty();
        assertThat(p.probe().describe()).isEqualTo("GET https://tria.example.com/health");
        HttpProbe probe = (HttpProbe) p.probe();
        assertThat(probe.followRedirects()).isTrue();
        assertThat(probe.insecure()).isFalse();
    }

    @Test
    void fullMappingFromTheSeedPlan() {
        var p = parse("""
                http:
                  method: post
                  url: "${http.base_url}/api/chatbot"
                  headers: {X-Request-Id: readiness-probe, Authorization: "Bearer s3cret-token"}
                  query: {q: hello world}
                  json: {message: hello, user_id: readiness-probe, session_id: readiness-probe}
                  timeout: 5s
                  follow_redirects: false
                expect: {status: 200, body: {not_contains: "having trouble processing"}}
                """);
        assertThat(p.problems()).isEmpty();
        HttpProbe probe = (HttpProbe) p.probe();
        assertThat(probe.method()).isEqualTo("POST");
        assertThat(probe.payload().text()).isEqualTo("{\"message\":\"hello\",\"user_id\":\"readiness-probe\",\"session_id\":\"readiness-probe\"}");
        assertThat(probe.payload().mediaType()).isEqualTo("application/json; charset=utf-8");
        assertThat(probe.timeout()).hasSeconds(5);
        assertThat(probe.followRedirects()).isFalse();
        // header values may be tokens: never in what a report prints
        assertThat(probe.describe()).isEqualTo("POST https://tria.example.com/api/chatbot?q=hello%20world with a json body");
        assertThat(probe.toString()).isEqualTo(probe.describe()).doesNotContain("s3cret");
    }

    @Test
    void noExpectMeansStatus200To399() {
        assertThat(new HttpCheckType().facts().defaultExpect()).isEqualTo("status: {between: [200, 399]}");
        assertThat(new HttpCheckType().facts().primary()).isEqualTo("body");
    }

    @Test
    void badSchemeIsReportedAtTheUrl() {
        var p = parse("""
                http:
                  url: "htp://example.com/health"
                """);
        assertThat(p.probe()).isNull();
        assertThat(p.problems()).containsExactly(
                "t.yaml:2:8: invalid URL 'htp://example.com/health': scheme 'htp' is not supported (use http:// or https://)");
    }

    @Test
    void relativeUrlAndBadPort() {
        assertThat(parse("http: /health\n").problems()).containsExactly(
                "t.yaml:1:7: invalid URL '/health': it must start with http:// or https://");
        assertThat(parse("http: {url: \"http://db:99999/x\"}\n").problems()).containsExactly(
                "t.yaml:1:13: invalid URL 'http://db:99999/x': invalid port (use 1-65535)");
    }

    @Test
    void expandedUrlIsCheckedAfterInterpolation() {
        var h = new CheckHarness(new HttpCheckType(), Map.of("http.base_url", "tria.example.com"));
        assertThat(h.parse("http: \"${http.base_url}/health\"\n").problems()).containsExactly(
                "t.yaml:1:7: invalid URL 'tria.example.com/health': it must start with http:// or https://");
    }

    @Test
    void missingUrl() {
        assertThat(parse("http: {method: GET}\n").problems()).containsExactly("t.yaml:1:7: http check is missing required key 'url'");
        assertThat(parse("http:\n").problems()).containsExactly(
                "t.yaml:1:6: 'http' needs a URL, e.g. http: \"${http.base_url}/health\"");
    }

    @Test
    void jsonAndBodyAreMutuallyExclusive() {
        var p = parse("""
                http:
                  method: POST
                  url: https://x.example.com/api
                  body: "raw"
                  json: {a: 1}
                """);
        assertThat(p.probe()).isNull();
        assertThat(p.problems()).containsExactly("t.yaml:5:3: 'body' and 'json' cannot both be given: a request has one body");
    }

    @Test
    void getHasNoBody() {
        assertThat(parse("""
                http:
                  url: https://x.example.com/api
                  form: {a: b}
                """).problems()).containsExactly("t.yaml:3:3: a GET request has no body: use method: POST to send 'form'");
    }

    @Test
    void unknownKeyGetsDidYouMean() {
        assertThat(parse("""
                http:
                  url: https://x.example.com/
                  folow_redirects: false
                """).problems()).containsExactly(
                "t.yaml:3:3: unknown key 'folow_redirects' in http check (did you mean 'follow_redirects'?)");
    }

    @Test
    void methods() {
        assertThat(parse("http: {url: \"https://x.example.com/\", method: DELETE}\n").problems()).containsExactly(
                "t.yaml:1:47: method 'DELETE' is not allowed: an audit must not change the target (use GET, HEAD, OPTIONS, POST)");
        assertThat(parse("http: {url: \"https://x.example.com/\", method: GTE}\n").problems()).containsExactly(
                "t.yaml:1:47: unknown method 'GTE' (did you mean 'GET'?) (use GET, HEAD, OPTIONS, POST)");
        assertThat(parse("http: {url: \"https://x.example.com/\", method: head}\n").problems()).isEmpty();
    }

    @Test
    void headerValueWithLineBreakIsRefusedWithoutEchoingIt() {
        var p = parse("""
                http:
                  url: https://x.example.com/
                  headers:
                    Authorization: "Bearer abc\\ndef"
                    "Bad Name": x
                """);
        assertThat(p.problems()).containsExactly(
                "t.yaml:4:20: the value of header 'Authorization' contains a control character (line break?) at position 11",
                "t.yaml:5:5: invalid header name 'Bad Name' (letters, digits and - only)");
        assertThat(String.join("\n", p.problems())).doesNotContain("abc");
    }

    @Test
    void sameHeaderTwiceIgnoringCase() {
        assertThat(parse("http: {url: \"https://x.example.com/\", headers: {Accept: a, accept: b}}\n").problems()).containsExactly(
                "t.yaml:1:60: header 'accept' is given twice (as 'Accept'; names ignore case)");
    }

    @Test
    void jsonAsTextMustBeJson() {
        var ok = parse("http: {method: POST, url: \"https://x.example.com/\", json: '{\"a\": [1, 2]}'}\n");
        assertThat(ok.problems()).isEmpty();
        assertThat(((HttpProbe) ok.probe()).payload().text()).isEqualTo("{\"a\": [1, 2]}");
        assertThat(parse("http: {method: POST, url: \"https://x.example.com/\", json: '{a: 1}'}\n").problems()).singleElement()
                .asString().startsWith("t.yaml:1:59: 'json' is a string, so it must be JSON text, but it is not JSON: ");
    }

    @Test
    void caFileWithInsecureIsContradictory() {
        assertThat(parse("""
                http:
                  url: https://x.example.com/
                  insecure: true
                  ca_file: /etc/ssl/private-ca.pem
                """).problems()).containsExactly(
                "t.yaml:4:3: 'ca_file' has no effect with 'insecure: true' (nothing is verified): drop one of them");
    }

    @Test
    void wrongTypes() {
        assertThat(parse("""
                http:
                  url: https://x.example.com/
                  insecure: "yes please"
                  timeout: soon
                  headers: [a, b]
                """).problems()).containsExactly(
                "t.yaml:3:13: 'insecure' must be true or false, got a string",
                "t.yaml:4:12: 'timeout': invalid duration 'soon' (use e.g. 500ms, 5s, 2m)",
                "t.yaml:5:12: 'headers' must be a mapping, got a list");
    }

    @Test
    void expectKeysAreTheFacts() {
        var p = parse("""
                http: https://x.example.com/health
                expect: {stauts: 200}
                """);
        assertThat(p.problems()).containsExactly("t.yaml:2:10: unknown expectation 'stauts' for a http check (did you mean 'status'?)"
                + " (facts: status, headers, body, json, duration_ms, url, redirects)");
    }
}
