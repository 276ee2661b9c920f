package io.triaready.checks.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.json.Json;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.InlineEndpoint;
import io.triaready.checks.support.TargetProbe;
import io.triaready.core.expect.Missing;
import io.triaready.core.expect.Values;
import io.triaready.spi.Endpoint;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Need;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.http.Exposition;
import io.triaready.transport.http.HttpClients;
import io.triaready.transport.tunnel.TunnelSocketFactory;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@code prometheus: {query: "histogram_quantile(0.95, sum(rate(request_latency_seconds_bucket[5m])) by (le))"}}:
 * an instant PromQL query against {@code /api/v1/query} of the target's {@code prometheus} endpoint.
 * Facts: value (primary: the one sample of a scalar or one-series result), values (every series'
 * value), series ({labels, value} each), count. An empty result has neither value nor values, so
 * every expectation on them fails (with the note "query returned no series"); expect {@code count: 0}
 * to require an empty result. No default expectation.
 */
public final class PrometheusCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("value", "value", "values", "series", "count");
    static final String DEFAULT_ENDPOINT = "prometheus";
    static final long MAX_BODY = 16L * 1024 * 1024;

    public PrometheusCheckType() { super("prometheus", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String query;
        String endpoint = null;
        Map<String, Object> inline = Map.of();
        YNode at = spec;
        YNode needAt = spec;
        if (spec.isScalar()) {
            query = scalar(spec, ctx);
        } else {
            Fields f = fields(spec, ctx);
            if (!f.isValid()) return null;
            at = f.node("query");
            query = f.requiredString("query");
            endpoint = f.string("endpoint").orElse(null);
            if (endpoint != null) needAt = f.node("endpoint");
            inline = InlineEndpoint.read(f, List.of("url", "user", "password", "token", "tunnel", "ca_file"));
            if (f.has("insecure")) inline.put("insecure", f.bool("insecure", false));
            f.finish();
            String u = InlineEndpoint.literalUrl(inline);
            if (u != null && HttpUrl.parse(u) == null) {
                ctx.problem(f.node("url"), "'url' must be an http:// or https:// URL, got '" + u + "'");
                return null;
            }
        }
        if (query == null) return null;
        if (query.isBlank()) {
            ctx.problem(at == null ? spec : at, "'query' needs a PromQL expression, e.g. up{job=\"api\"}");
            return null;
        }
        return new PrometheusProbe(query.strip(), endpoint, Map.copyOf(inline), Need.endpoint(endpoint, DEFAULT_ENDPOINT, inline,
                needAt, u -> HttpUrl.parse(u) == null ? "not an http(s) URL" : null));
    }

    public record PrometheusProbe(String query, String endpoint, Map<String, Object> inline, List<Need> needs) implements TargetProbe {
        @Override
        public String describe() { return Endpoint.describeQuery("promql", endpoint, inline, DEFAULT_ENDPOINT, query); }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            Endpoint ep = Endpoint.resolve(ctx, endpoint, DEFAULT_ENDPOINT, inline);
            HttpUrl base = HttpUrl.parse(ep.url());
            if (base == null) throw new ProbeException("the " + ep.name() + " endpoint's url is not an http(s) URL: " + ctx.secrets().mask(ep.url()));
            HttpUrl api = base.newBuilder().addPathSegments("api/v1/query").build();
            String shown = ctx.secrets().mask(api.newBuilder().username("").password("").build().toString());

            OkHttpClient client = HttpClients.select(ctx, ep.flag("insecure"), ep.string("ca_file"));
            if (ep.tunnel() != null) {
                client = client.newBuilder().socketFactory(new TunnelSocketFactory(ep.reach(ctx, base.host(), base.port()))).build();
            }
            Duration left = ctx.deadline().remaining();
            if (left.isZero()) throw new ProbeException("no time left for the query (timeout reached)");
            client = HttpClients.withTimeout(client, left);

            // Prometheus stops evaluating at its own timeout too; ask for a little less than ours so its error comes back first
            long serverMs = Math.max(1, left.toMillis() - 200);
            Request.Builder req = new Request.Builder().url(api)
                    .post(new FormBody.Builder().add("query", query).add("timeout", serverMs + "ms").build())
                    .header("Accept", "application/json")
                    // a query only reads: sent again once if a kept-alive connection turns out closed
                    .tag(HttpClients.Resendable.class, HttpClients.Resendable.YES);
            String user = ep.string("user") != null ? ep.string("user") : base.username().isEmpty() ? null : base.username();
            String password = ep.string("password") != null ? ep.string("password") : base.password().isEmpty() ? null : base.password();
            if (password != null) ctx.secrets().add(password);
            if (ep.string("token") != null) {
                ctx.secrets().add(ep.string("token"));
                req.header("Authorization", "Bearer " + ep.string("token"));
            } else if (user != null) {
                req.header("Authorization", Credentials.basic(user, password == null ? "" : password, StandardCharsets.UTF_8));
            }

            long start = System.nanoTime();
            Map<?, ?> answer;
            int code;
            try (Response resp = client.newCall(req.build()).execute()) {
                code = resp.code();
                String body = read(resp.body(), shown);
                Object parsed;
                try {
                    parsed = Json.parse(body);
                } catch (IOException e) {
                    throw new ProbeException("POST " + shown + " -> HTTP " + code + ": not a Prometheus API answer (" + e.getMessage() + ")");
                }
                if (!(parsed instanceof Map<?, ?> m)) throw new ProbeException("POST " + shown + " -> HTTP " + code + ": not a Prometheus API answer");
                answer = m;
            } catch (InterruptedIOException e) {
                throw new ProbeException("POST " + shown + ": no answer within " + Durations.format(left));
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new ProbeException("POST " + shown + ": " + ctx.secrets().mask(m.replace('\n', ' ')));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (!"success".equals(answer.get("status"))) {
                Object type = answer.get("errorType");
                Object error = answer.get("error");
                throw new ProbeException("prometheus: " + (type != null ? type + ": " : "") + (error != null ? error : "HTTP " + code + " without an error text"));
            }
            Facts.Builder b = Facts.builder();
            if (answer.get("warnings") instanceof List<?> warnings) for (Object w : warnings) b.note("prometheus warning: " + w);
            result(answer.get("data"), b, took);
            return b.build();
        }

        private void result(Object data, Facts.Builder b, Duration took) throws ProbeException {
            if (!(data instanceof Map<?, ?> d)) throw new ProbeException("prometheus: the answer has no data");
            Object type = d.get("resultType");
            Object result = d.get("result");
            List<Object> values = new ArrayList<>();
            List<Map<String, Object>> series = new ArrayList<>();
            switch (String.valueOf(type)) {
                case "scalar", "string" -> {
                    Object v = "scalar".equals(type) ? sampleValue(result) : sampleText(result);
                    values.add(v);
                    series.add(seriesOf(Map.of(), v));
                }
                case "vector" -> {
                    if (!(result instanceof List<?> items)) throw new ProbeException("prometheus: a vector result that is not a list");
                    for (Object item : items) {
                        if (!(item instanceof Map<?, ?> s)) throw new ProbeException("prometheus: a series that is not an object");
                        Object v = sampleValue(s.get("value"));
                        values.add(v);
                        Map<String, Object> labels = new LinkedHashMap<>();
                        if (s.get("metric") instanceof Map<?, ?> metric) metric.forEach((k, val) -> labels.put(String.valueOf(k), val));
                        series.add(seriesOf(labels, v));
                    }
                }
                case "matrix" -> throw new ProbeException("prometheus: the query returns a range vector (it ends in [range]): "
                        + "make it an instant value, e.g. max_over_time(...) or rate(...)");
                default -> throw new ProbeException("prometheus: unknown result type '" + type + "'");
            }
            b.put("series", series).put("count", (long) series.size());
            String summary = "prometheus answered in " + Durations.format(took) + ": " + type + " with " + series.size()
                    + (series.size() == 1 ? " sample" : " samples");
            if (series.isEmpty()) {
                b.put("value", Missing.INSTANCE).put("values", Missing.INSTANCE).note(summary).note("query returned no series");
            } else if (series.size() == 1) {
                b.put("value", values.get(0)).put("values", values).note(summary + " = " + Values.render(values.get(0)));
            } else {
                b.put("value", Missing.INSTANCE).put("values", values).note(summary)
                        .note("query returned " + series.size() + " series: 'value' needs exactly one (expect values: {all: ...}, or aggregate with sum/max)");
            }
        }

        private static Map<String, Object> seriesOf(Map<String, Object> labels, Object value) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", labels);
            m.put("value", value);
            return m;
        }

        /** {@code [1712345678.123, "0.95"]} → the number (+Inf, -Inf and NaN included). */
        private static Object sampleValue(Object pair) throws ProbeException {
            String text = sampleText(pair);
            try {
                double v = Exposition.value(text);
                return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
            } catch (NumberFormatException e) {
                throw new ProbeException("prometheus: a sample value that is not a number: " + Values.render(text));
            }
        }

        private static String sampleText(Object pair) throws ProbeException {
            if (pair instanceof List<?> l && l.size() == 2) return String.valueOf(l.get(1));
            throw new ProbeException("prometheus: a sample that is not [time, value]");
        }

        private static String read(ResponseBody body, String shown) throws IOException, ProbeException {
            if (body == null) return "";
            try (InputStream in = body.byteStream()) {
                byte[] bytes = in.readNBytes((int) MAX_BODY + 1);
                if (bytes.length > MAX_BODY) throw new ProbeException("POST " + shown + ": answer larger than " + (MAX_BODY >> 20) + " MiB");
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }
}
