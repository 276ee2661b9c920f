package io.triaready.checks.http;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.triaready.base.json.Json;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Probe;
import okhttp3.HttpUrl;

/**
 * {@code http: https://host/health} or {@code http: {method, url, headers, query, json | body | form,
 * timeout, insecure, follow_redirects, ca_file}}: one request from the auditing machine.
 * Facts: body (primary, so {@code expect: {contains: x}} reads the body), status, headers (lower-case
 * names), json (the body parsed, on demand), duration_ms (request sent to the whole body read; not DNS,
 * connect or TLS handshakes), url
 * (after redirects), redirects. Without {@code expect}: status 200–399.
 */
public final class HttpCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("body", "status", "headers", "body", "json", "duration_ms", "url", "redirects")
            .withDefault("status: {between: [200, 399]}");

    /** An audit only reads: methods that exist to change a resource are refused at parse time. */
    static final List<String> METHODS = List.of("GET", "HEAD", "OPTIONS", "POST");
    private static final Set<String> CHANGING = Set.of("PUT", "PATCH", "DELETE", "TRACE", "CONNECT");
    private static final List<String> BODY_KEYS = List.of("json", "body", "form");
    /** RFC 9110 token characters: what a header name may be made of. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public HttpCheckType() { super("http", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        if (missing(spec, ctx, "a URL, e.g. http: \"${http.base_url}/health\"")) return null;
        if (spec.isScalar()) {
            String url = scalar(spec, ctx);
            return checkUrl(url, spec, ctx) ? new HttpProbe("GET", url, Map.of(), Map.of(), null, null, false, true, null) : null;
        }
        Fields f = fields(spec, ctx);
        if (!f.isValid()) return null;
        boolean ok = true;

        String method = method(f);
        ok &= method != null;
        String url = f.requiredString("url");
        ok &= url != null && checkUrl(url, f.node("url"), ctx);
        Map<String, String> headers = headers(f);
        Map<String, String> query = f.stringMap("query");
        Payload payload = payload(f, method, headers);
        ok &= payload != Payload.INVALID;

        Duration timeout = f.duration("timeout").orElse(null);
        if (timeout != null && timeout.isZero()) {
            ctx.problem(f.node("timeout"), "'timeout' must be more than 0");
            ok = false;
        }
        boolean insecure = f.bool("insecure", false);
        boolean follow = f.bool("follow_redirects", true);
        String caFile = f.string("ca_file").orElse(null);
        if (caFile != null && caFile.isBlank()) {
            ctx.problem(f.node("ca_file"), "'ca_file' is empty: give the path of a PEM file");
            ok = false;
        }
        if (caFile != null && insecure) {
            ctx.problem(f.keyNode("ca_file"), "'ca_file' has no effect with 'insecure: true' (nothing is verified): drop one of them");
            ok = false;
        }
        f.finish();
        if (!ok) return null;
        return new HttpProbe(method, url, headers, query, payload == Payload.NONE ? null : payload, timeout, insecure, follow, caFile);
    }

    private static String method(Fields f) {
        String raw = f.string("method").orElse("GET");
        String m = raw.trim().toUpperCase(Locale.ROOT);
        if (METHODS.contains(m)) return m;
        YNode at = f.node("method");
        if (CHANGING.contains(m)) {
            f.context().problem(at, "method '" + m + "' is not allowed: an audit must not change the target (use "
                    + String.join(", ", METHODS) + ")");
        } else {
            f.context().problem(at, "unknown method '" + raw + "'" + Suggest.didYouMean(m, METHODS) + " (use " + String.join(", ", METHODS) + ")");
        }
        return null;
    }

    /**
     * Reports a URL that cannot be requested: not http(s), no host, bad port. A URL that still holds a
     * placeholder (an undefined ${var}, already reported, or {@code <env:X>} while validating without secrets)
     * is checked when the request is made instead.
     */
    static boolean checkUrl(String url, YNode at, ParseContext ctx) {
        if (url == null) return false;
        if (url.isBlank()) {
            ctx.problem(at, "the URL is empty");
            return false;
        }
        if (hasPlaceholder(url)) return true;
        String reason = urlProblem(url);
        if (reason == null) return true;
        String shown = ctx.interpolator().secrets().mask(url);
        ctx.problem(at, "invalid URL '" + shown + "': " + reason);
        return false;
    }

    static boolean hasPlaceholder(String url) {
        return url.contains("${") || url.contains("<env:") || url.contains("<file:");
    }

    /** Why {@code url} cannot be requested, or null when it can. */
    static String urlProblem(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            int colon = lower.indexOf("://");
            return colon > 0 ? "scheme '" + url.trim().substring(0, colon) + "' is not supported (use http:// or https://)"
                    : "it must start with http:// or https://";
        }
        try {
            HttpUrl.get(url.trim());
            return null;
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("Invalid URL host")) return "invalid host name";
            if (m.startsWith("Invalid URL port")) return "invalid port (use 1-65535)";
            return m;
        }
    }

    /** Request headers: names checked, values never echoed in a message (they may be tokens). */
    private static Map<String, String> headers(Fields f) {
        YNode n = f.node("headers");
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        ParseContext ctx = f.context();
        Fields h = Fields.of(n, ctx, "'headers'");
        Map<String, String> seen = new LinkedHashMap<>();
        for (String name : h.presentKeys()) {
            YNode key = h.keyNode(name);
            YNode v = h.node(name);
            if (!TOKEN.matcher(name).matches()) {
                ctx.problem(key, "invalid header name '" + name + "' (letters, digits and - only)");
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (seen.containsKey(lower)) {
                ctx.problem(key, "header '" + name + "' is given twice (as '" + seen.get(lower) + "'; names ignore case)");
                continue;
            }
            seen.put(lower, name);
            String value = v.isNull() ? "" : ctx.string(v, "header '" + name + "'");
            if (value == null) continue;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    ctx.problem(v, "the value of header '" + name + "' contains a control character (line break?) at position " + (i + 1));
                    value = null;
                    break;
                }
                if (c > 0xff) {
                    ctx.problem(v, "the value of header '" + name + "' contains a non-Latin-1 character at position " + (i + 1));
                    value = null;
                    break;
                }
            }
            if (value != null) out.put(name, value.strip());
        }
        return out;
    }

    private static Payload payload(Fields f, String method, Map<String, String> headers) {
        ParseContext ctx = f.context();
        String given = null;
        Payload result = Payload.NONE;
        f.allow(BODY_KEYS.toArray(String[]::new));
        for (String key : List.copyOf(f.presentKeys())) {
            if (!BODY_KEYS.contains(key)) continue;
            YNode n = f.node(key);
            if (given != null) {
                ctx.problem(f.keyNode(key), "'" + given + "' and '" + key + "' cannot both be given: a request has one body");
                return Payload.INVALID;
            }
            given = key;
            if (method != null && (method.equals("GET") || method.equals("HEAD"))) {
                ctx.problem(f.keyNode(key), "a " + method + " request has no body: use method: POST to send '" + key + "'");
                return Payload.INVALID;
            }
            String override = contentType(headers);
            result = switch (key) {
                case "json" -> json(n, ctx, override);
                case "body" -> {
                    String text = n.isNull() ? "" : ctx.string(n, "'body'");
                    yield text == null ? Payload.INVALID : new Payload("body", text, override != null ? override : "text/plain; charset=utf-8");
                }
                default -> form(f, override);
            };
        }
        return result;
    }

    private static Payload json(YNode n, ParseContext ctx, String override) {
        String type = override != null ? override : "application/json; charset=utf-8";
        if (n.isScalar() && n.scalar() instanceof String) {
            // json: '{"a": 1}' is JSON text, sent as written (after ${var} expansion)
            String text = ctx.string(n, "'json'");
            if (text == null) return Payload.INVALID;
            try {
                Json.parse(text);
            } catch (IOException e) {
                ctx.problem(n, "'json' is a string, so it must be JSON text, but it is " + e.getMessage()
                        + " (write the body as a YAML mapping instead, or use 'body' for raw text)");
                return Payload.INVALID;
            }
            return new Payload("json", text, type);
        }
        try {
            return new Payload("json", Json.mapper().writeValueAsString(ctx.plain(n)), type);
        } catch (JsonProcessingException e) {
            ctx.problem(n, "'json' cannot be written as JSON: " + e.getOriginalMessage());
            return Payload.INVALID;
        }
    }

    private static Payload form(Fields f, String override) {
        Map<String, String> fields = f.stringMap("form");
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return new Payload("form", b.toString(), override != null ? override : "application/x-www-form-urlencoded");
    }

    private static String contentType(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("content-type")) return e.getValue();
        }
        return null;
    }

    /**
     * A request body: which key gave it (json, body, form), its text and media type. The user's
     * Content-Type header, when given, wins over the default for the kind.
     */
    record Payload(String kind, String text, String mediaType) {
        static final Payload NONE = new Payload("none", "", "");
        static final Payload INVALID = new Payload("invalid", "", "");

        @Override
        public String toString() { return kind + " body (" + text.length() + " chars)"; }
    }
}
