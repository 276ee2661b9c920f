package io.triaready.checks.http;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.triaready.base.json.Json;
import io.triaready.base.yaml.Durations;
import io.triaready.checks.support.TargetProbe;
import io.triaready.spi.Deadline;
import io.triaready.spi.Facts;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.http.HttpClients;
import io.triaready.transport.http.HttpErrors;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One HTTP request, made from the auditing machine through the run's shared client pool. The call
 * runs on the probe's own thread and OkHttp's {@code callTimeout} cancels it (connect, request,
 * response and body included) when the check's time is up, so a hung server costs one timeout and
 * holds no thread afterwards.
 *
 * <p>{@code headers} may hold tokens: they are sent, never described ({@link #toString()} is
 * {@link #describe()} so that no log line can print them either).
 */
public record HttpProbe(String method, String url, Map<String, String> headers, Map<String, String> query,
                        HttpCheckType.Payload payload, Duration timeout, boolean insecure, boolean followRedirects,
                        String caFile) implements TargetProbe {
    /** The body kept for expectations; the rest is not read (a readiness page is not megabytes). */
    static final int MAX_BODY = 4 * 1024 * 1024;
    static final String USER_AGENT = "tria-ready";

    public HttpProbe {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(method).append(' ').append(urlWithQuery());
        if (payload != null) b.append(" with a ").append(payload.kind()).append(" body");
        if (insecure) b.append(" (TLS not verified)");
        return b.toString();
    }

    @Override
    public String toString() { return describe(); }

    /** The URL as requested: {@code url} plus the {@code query} parameters (as text, for describe and notes). */
    private String urlWithQuery() {
        HttpUrl u = HttpUrl.parse(url.trim());
        return u == null ? url : withQuery(u).toString();
    }

    private HttpUrl withQuery(HttpUrl u) {
        if (query.isEmpty()) return u;
        HttpUrl.Builder b = u.newBuilder();
        query.forEach(b::addQueryParameter);
        return b.build();
    }

    @Override
    public Facts observe(ProbeContext ctx) throws Exception {
        String problem = HttpCheckType.urlProblem(url);
        if (problem != null) throw new ProbeException("invalid URL '" + ctx.secrets().mask(url) + "': " + problem);
        HttpUrl target = withQuery(HttpUrl.get(url.trim()));

        Deadline budget = ctx.deadline().narrowedTo(timeout);
        OkHttpClient base = HttpClients.select(ctx, insecure, caFile);
        OkHttpClient client = HttpClients.forCheck(base, budget.timeout(), followRedirects, method);

        Call call = client.newCall(request(target));
        long start = System.nanoTime();
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            throw HttpErrors.beforeResponse(e, target, budget.label());
        }
        // closing an unfinished (cut) body discards the rest for at most 100ms, then drops the connection
        try (response) {
            Body read;
            try {
                read = read(response.body());
            } catch (IOException e) {
                throw HttpErrors.duringBody(e, response.code(), budget.label());
            }
            long end = System.nanoTime();
            // the target's time: request sent -> response read, not connecting or a dropped kept-alive attempt
            Duration onWire = HttpClients.onWire(client, call, end);
            long ms = (onWire != null ? onWire : Duration.ofNanos(end - start)).toMillis();
            return facts(target, response, read, ms, HttpClients.resent(client, call) > 0);
        }
    }

    private Request request(HttpUrl target) {
        Request.Builder r = new Request.Builder().url(target);
        headers.forEach(r::header);
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("user-agent"))) r.header("User-Agent", USER_AGENT);
        RequestBody body = null;
        if (payload != null) {
            body = RequestBody.create(payload.text().getBytes(StandardCharsets.UTF_8), MediaType.parse(payload.mediaType()));
        } else if (method.equals("POST")) {
            body = RequestBody.create(new byte[0], null); // OkHttp requires a body for POST
        }
        return r.method(method, body).build();
    }

    private record Body(String text, long bytes, boolean truncated, String contentType) {}

    private static Body read(ResponseBody body) throws IOException {
        BufferedSource source = body.source();
        boolean truncated = source.request(MAX_BODY + 1L);
        long n = Math.min(source.getBuffer().size(), MAX_BODY);
        byte[] bytes = source.getBuffer().readByteArray(n);
        MediaType type = body.contentType();
        Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
        return new Body(new String(bytes, charset), n, truncated, type == null ? null : type.toString());
    }

    private Facts facts(HttpUrl target, Response response, Body body, long ms, boolean resent) {
        int redirects = 0;
        for (Response prior = response.priorResponse(); prior != null; prior = prior.priorResponse()) redirects++;
        String finalUrl = response.request().url().toString();
        String text = body.text();

        StringBuilder note = new StringBuilder(method).append(' ').append(target).append(" -> ").append(response.code())
                .append(" in ").append(Durations.format(Duration.ofMillis(ms)));
        if (redirects > 0) note.append(" after ").append(redirects).append(redirects == 1 ? " redirect" : " redirects").append(" (").append(finalUrl).append(')');
        if (body.truncated()) note.append("; body cut at ").append(MAX_BODY / (1024 * 1024)).append(" MB");
        if (resent) note.append("; sent again on a new connection (the server had closed the kept-alive one)");

        return Facts.builder()
                .put("status", (long) response.code())
                .put("headers", headers(response.headers()))
                .put("body", text)
                .put("duration_ms", ms)
                .put("url", finalUrl)
                .put("redirects", (long) redirects)
                .lazy("json", () -> {
                    try {
                        return Json.parse(text);
                    } catch (IOException e) {
                        String about = (body.contentType() == null ? "no content-type" : "content-type " + body.contentType())
                                + (body.truncated() ? ", body cut at " + MAX_BODY / (1024 * 1024) + " MB" : ", " + body.bytes() + " bytes");
                        throw new ProbeException(e.getMessage() + " (" + about + ")");
                    }
                })
                .note(note.toString())
                .build();
    }

    /** Lower-case names; a header sent several times is one value joined with ", " (RFC 9110 5.3). */
    static Map<String, String> headers(Headers h) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < h.size(); i++) {
            out.merge(h.name(i).toLowerCase(Locale.ROOT), h.value(i), (a, b) -> a + ", " + b);
        }
        return out;
    }
}
