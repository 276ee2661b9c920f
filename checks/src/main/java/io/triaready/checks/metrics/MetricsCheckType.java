package io.triaready.checks.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.TargetProbe;
import io.triaready.core.expect.Missing;
import io.triaready.core.expect.Values;
import io.triaready.core.expr.EvaluationException;
import io.triaready.core.expr.Expression;
import io.triaready.spi.Endpoint;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.http.Exposition.Sample;
import io.triaready.transport.http.Exposition.Scrape;
import io.triaready.transport.http.Exposition;
import io.triaready.transport.http.HttpClients;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@code metrics: {url: "${http.base_url}/metrics", name: http_requests_total, labels: {status: "500"}}}: scrapes
 * a Prometheus/OpenMetrics endpoint and reads series from it. Facts: value (primary: the sum of the
 * matched series, or the {@code value} expression over metric names), exists, series, count, names.
 * With {@code rate_over: 10s} it scrapes twice that far apart and every value is a per-second increase.
 * No series matched is never a pass: value is then nothing. Without {@code expect}: {@code exists: true}.
 */
public final class MetricsCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("value", "value", "exists", "series", "count", "names").withDefault("exists: true");
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    static final long MAX_BODY = 32L * 1024 * 1024;
    static final int MAX_SERIES = 1000;

    public MetricsCheckType() { super("metrics", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String url;
        Fields f = null;
        if (spec.isScalar()) {
            url = scalar(spec, ctx);
        } else {
            f = fields(spec, ctx);
            if (!f.isValid()) return null;
            url = f.requiredString("url");
        }
        if (url != null && !Endpoint.isPlaceholder(url) && HttpUrl.parse(url) == null) {
            ctx.problem(f != null ? f.node("url") : spec, "'url' must be an http:// or https:// URL, got '" + url + "'");
            url = null;
        }
        if (f == null) return url == null ? null : new MetricsProbe(url, null, Map.of(), null, null, false, null, Map.of());
        boolean ok = url != null;
        List<Selector.LabelMatcher> labels = List.of();
        Map<String, String> labelMap = f.stringMap("labels");
        try {
            labels = Selector.fromMap(labelMap);
        } catch (IllegalArgumentException e) {
            ctx.problem(f.node("labels"), "'labels': " + e.getMessage());
            ok = false;
        }
        Selector name = null;
        String nameText = f.string("name").orElse(null);
        if (nameText != null) {
            try {
                name = Selector.parse(nameText).orLabels(labels);
            } catch (IllegalArgumentException e) {
                ctx.problem(f.node("name"), "'name': " + e.getMessage());
                ok = false;
            }
        }
        Expression value = null;
        Map<String, Selector> selectors = new LinkedHashMap<>();
        if (f.has("value")) {
            value = Expression.parse(f.node("value"), ctx, "'value'");
            if (value == null) ok = false;
            else {
                for (String n : value.names()) {
                    try {
                        selectors.put(n, Selector.parse(n).orLabels(labels));
                    } catch (IllegalArgumentException e) {
                        ctx.problem(f.node("value"), "'value': " + n + ": " + e.getMessage());
                        ok = false;
                    }
                }
            }
        }
        if (nameText != null && f.has("value")) {
            ctx.problem(f.keyNode("value"), "give either 'name' (one metric) or 'value' (an expression over metric names), not both");
            ok = false;
        }
        if (!labelMap.isEmpty() && nameText == null && !f.has("value")) {
            ctx.problem(f.keyNode("labels"), "'labels' filters the series of 'name' or 'value': give one of them");
            ok = false;
        }
        Duration rateOver = f.duration("rate_over").orElse(null);
        if (rateOver != null && rateOver.isZero()) {
            ctx.problem(f.node("rate_over"), "'rate_over' must be more than 0, e.g. rate_over: 10s");
            ok = false;
        }
        if (rateOver != null && nameText == null && !f.has("value")) {
            ctx.problem(f.keyNode("rate_over"), "'rate_over' needs 'name' or 'value' (the counters to take the rate of)");
            ok = false;
        }
        boolean insecure = f.bool("insecure", false);
        String caFile = f.string("ca_file").orElse(null);
        if (insecure && caFile != null) {
            ctx.problem(f.keyNode("ca_file"), "'ca_file' and 'insecure: true' contradict each other: give one");
            ok = false;
        }
        Map<String, String> headers = f.stringMap("headers");
        f.finish();
        return ok ? new MetricsProbe(url, name, Map.copyOf(selectors), value, rateOver, insecure, caFile, Map.copyOf(headers)) : null;
    }

    public record MetricsProbe(String url, Selector name, Map<String, Selector> selectors, Expression value, Duration rateOver,
                               boolean insecure, String caFile, Map<String, String> headers) implements TargetProbe {
        @Override
        public String describe() {
            String what = name != null ? " " + name : value != null ? " " + value.text() : "";
            return "scrape " + url + what + (rateOver != null ? " (rate over " + Durations.format(rateOver) + ")" : "");
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String shown = ctx.secrets().mask(url);
            HttpUrl parsed = HttpUrl.parse(url);
            if (parsed == null) throw new ProbeException("not an http(s) URL: " + shown);
            if (rateOver != null && rateOver.compareTo(ctx.deadline().remaining()) >= 0) {
                throw new ProbeException("rate_over " + Durations.format(rateOver) + " does not fit in the check's timeout ("
                        + Durations.format(ctx.deadline().timeout()) + "): give the check a longer timeout, e.g. timeout: "
                        + Math.max(2, rateOver.toSeconds() * 2) + "s");
            }
            OkHttpClient base = HttpClients.select(ctx, insecure, caFile);
            Facts.Builder b = Facts.builder();
            Timed first = scrape(base, parsed, shown, ctx);
            Scrape scrape = first.scrape();
            Map<String, Double> previous = null;
            double seconds = 0;
            if (rateOver != null) {
                long wake = first.at() + rateOver.toNanos();
                long sleep = wake - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                Timed second = scrape(base, parsed, shown, ctx);
                previous = new LinkedHashMap<>();
                for (Sample s : first.scrape().samples()) previous.put(key(s), s.value());
                seconds = (second.at() - first.at()) / 1e9;
                scrape = second.scrape();
                b.note("rate over " + Durations.format(Duration.ofNanos(second.at() - first.at())) + " between two scrapes");
            }
            b.note("GET " + shown + " -> " + scrape.samples().size() + " samples, " + scrape.names().size() + " names");
            b.put("names", scrape.names());

            List<Selector> wanted = name != null ? List.of(name) : List.copyOf(selectors.values());
            List<Map<String, Object>> series = new ArrayList<>();
            Map<Selector, Double> sums = new LinkedHashMap<>();
            Map<Selector, Integer> counts = new LinkedHashMap<>();
            for (Selector sel : wanted) {
                double sum = 0;
                int n = 0;
                for (Sample s : matching(sel, scrape)) {
                    double v = s.value();
                    if (previous != null) {
                        double before = previous.getOrDefault(key(s), 0.0);
                        double increase = v >= before ? v - before : v; // a counter that went down was reset
                        v = increase / seconds;
                    }
                    sum += v;
                    n++;
                    if (series.size() < MAX_SERIES) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", s.name());
                        m.put("labels", s.labels());
                        m.put("value", v);
                        series.add(m);
                    }
                }
                sums.put(sel, sum);
                counts.put(sel, n);
            }
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();

            if (name == null && value == null) {
                b.put("value", Missing.INSTANCE).put("exists", !scrape.samples().isEmpty()).put("count", (long) scrape.samples().size())
                        .put("series", series);
                return b.build();
            }
            b.put("series", series).put("count", (long) total);
            if (name != null) {
                if (total == 0) {
                    b.put("value", Missing.INSTANCE).put("exists", false)
                            .note("no series matched " + name + (scrape.hasName(name.name()) ? "" : " (no metric '" + name.name() + "' in the scrape)"));
                } else {
                    b.put("value", sums.get(name)).put("exists", true).note(name + " = " + Values.formatNumber(sums.get(name))
                            + (rateOver != null ? "/s" : "") + " over " + total + " series");
                }
                return b.build();
            }
            List<String> absent = new ArrayList<>();
            for (Selector sel : wanted) {
                if (!hasMetric(sel.name(), scrape)) absent.add(sel.name());
                else if (counts.get(sel) == 0) b.note("no series matched " + sel + ": counted as 0");
            }
            if (!absent.isEmpty()) {
                b.put("value", Missing.INSTANCE).put("exists", false)
                        .note("not in the scrape: " + String.join(", ", absent) + " (so '" + value.text() + "' has no value)");
                return b.build();
            }
            try {
                double v = value.evaluate(n -> sums.get(selectors.get(n)));
                b.put("value", v).put("exists", total > 0).note(value.text() + " = " + Values.formatNumber(v) + (rateOver != null ? " (per-second rates)" : ""));
            } catch (EvaluationException e) {
                throw new ProbeException("value '" + value.text() + "': " + e.getMessage());
            }
            return b.build();
        }

        private record Timed(Scrape scrape, long at) {}

        private Timed scrape(OkHttpClient base, HttpUrl target, String shown, ProbeContext ctx) throws ProbeException {
            Duration left = ctx.deadline().remaining();
            if (left.isZero()) throw new ProbeException("GET " + shown + ": no time left (timeout reached)");
            OkHttpClient client = HttpClients.withTimeout(base, left);
            Request.Builder req = new Request.Builder().url(target).header("Accept", ACCEPT).get();
            headers.forEach(req::header);
            long at = System.nanoTime();
            try (Response resp = client.newCall(req.build()).execute()) {
                if (!resp.isSuccessful()) throw new ProbeException("GET " + shown + " -> HTTP " + resp.code() + ": not a metrics endpoint");
                ResponseBody body = resp.body();
                String text = body == null ? "" : read(body, shown);
                try {
                    return new Timed(Exposition.parse(text), at);
                } catch (Exposition.ParseException e) {
                    throw new ProbeException("GET " + shown + ": not Prometheus/OpenMetrics text: " + e.getMessage());
                }
            } catch (InterruptedIOException e) {
                throw new ProbeException("GET " + shown + ": no answer within " + Durations.format(left));
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new ProbeException("GET " + shown + ": " + ctx.secrets().mask(m.replace('\n', ' ')));
            }
        }

        private static String read(ResponseBody body, String shown) throws IOException, ProbeException {
            try (InputStream in = body.byteStream()) {
                byte[] bytes = in.readNBytes((int) MAX_BODY + 1);
                if (bytes.length > MAX_BODY) throw new ProbeException("GET " + shown + ": more than " + (MAX_BODY >> 20) + " MiB of metrics");
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }

    /** The samples a selector means; an OpenMetrics counter family {@code foo} also answers for its {@code foo_total} samples. */
    static List<Sample> matching(Selector sel, Scrape scrape) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : scrape.samples()) if (sel.matches(s)) out.add(s);
        if (out.isEmpty() && "counter".equals(scrape.types().get(sel.name()))) {
            Selector total = new Selector(sel.name() + "_total", sel.matchers());
            for (Sample s : scrape.samples()) if (total.matches(s)) out.add(s);
        }
        return out;
    }

    static boolean hasMetric(String name, Scrape scrape) {
        return scrape.hasName(name) || ("counter".equals(scrape.types().get(name)));
    }

    private static String key(Sample s) { return s.name() + new java.util.TreeMap<>(s.labels()); }
}
