package io.triaready.spi;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import io.triaready.base.yaml.YNode;


/**
 * An inventory endpoint (postgres, redis, prometheus, or any name a check gives) as a data check sees
 * it: the endpoint's settings from the target, overlaid with connection keys written in the check
 * itself. Settings are plain values as the inventory wrote them, secrets already interpolated.
 */
public record Endpoint(String name, Map<String, Object> settings) {
    public Endpoint {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * The check's endpoint. {@code named} is the check's {@code endpoint:} key (null for the type's
     * default); {@code inline} holds connection keys written in the check ({@code url}, {@code user}, ...),
     * which win over the inventory's. A check with an inline {@code url} and no {@code endpoint:} needs
     * no inventory entry; otherwise a missing endpoint is an error that says how to add it.
     */
    public static Endpoint resolve(ProbeContext ctx, String named, String defaultName, Map<String, Object> inline) throws ProbeException {
        String name = named != null ? named : defaultName;
        Map<String, Object> merged = new LinkedHashMap<>();
        boolean inlineUrl = inline.get("url") != null;
        if (named != null || !inlineUrl) {
            Map<String, Object> fromTarget = ctx.target().endpoint(name);
            if (fromTarget == null || fromTarget.isEmpty()) {
                if (!inlineUrl) throw new ProbeException(missing(ctx.target(), name, named != null));
            } else {
                merged.putAll(fromTarget);
            }
        }
        inline.forEach((k, v) -> {
            if (v != null) merged.put(k, v);
        });
        Endpoint e = new Endpoint(name, merged);
        if (e.string("url") == null) {
            throw new ProbeException(noUrl(ctx.target(), name));
        }
        String password = e.string("password");
        if (password != null) ctx.secrets().add(password);
        return e;
    }

    /** "target 'T' has no NAME endpoint (add ...)": said the same at load ({@link Need}) and at run time. */
    static String missing(Target target, String name, boolean named) {
        return "target '" + target.name() + "' has no " + name + " endpoint (add " + name + ": {url: ...} to the inventory"
                + (named ? "" : ", or give url: in the check") + ")";
    }

    static String noUrl(Target target, String name) {
        return "the " + name + " endpoint of target '" + target.name() + "' has no url (add url: ... to it)";
    }

    public String string(String key) {
        Object v = settings.get(key);
        if (v == null) return null;
        String s = String.valueOf(v);
        return s.isEmpty() ? null : s;
    }

    public String url() { return string("url"); }

    public String tunnel() { return string("tunnel"); }

    public boolean flag(String key) {
        Object v = settings.get(key);
        return v instanceof Boolean b ? b : v != null && Boolean.TRUE.equals(YNode.booleanWord(String.valueOf(v)));
    }

    /**
     * True when a value is not known until the run: a {@code ${...}} left for later, or the
     * {@code <env:NAME>} / {@code <file:path>} placeholder that {@code validate} puts in place of a secret.
     * Such values are not checked when the playbook loads.
     */
    public static boolean isPlaceholder(String value) {
        return value != null && (value.contains("${") || value.contains("<env:") || value.contains("<file:") || value.contains(".invalid") || value.matches(".*<[a-z]+\\.[^>]*>.*"));
    }

    /** Where to open the socket for {@code host:port}: the address itself, or the local end of the endpoint's tunnel. */
    public InetSocketAddress reach(ProbeContext ctx, String host, int port) throws ProbeException {
        return ctx.reach(host, port, tunnel());
    }

    /**
     * One line for a query-based probe: {@code sql on postgres: SELECT count(*) ...}, the query on one line
     * and cut at 120 characters, the endpoint by name (never its URL, which may hold a password).
     */
    public static String describeQuery(String kind, String endpoint, Map<String, Object> inline, String defaultEndpoint, String query) {
        String q = query.replaceAll("\\s+", " ");
        if (q.length() > 120) q = q.substring(0, 117) + "...";
        return kind + " on " + (endpoint != null ? endpoint : inline.containsKey("url") ? "inline url" : defaultEndpoint) + ": " + q;
    }
}
