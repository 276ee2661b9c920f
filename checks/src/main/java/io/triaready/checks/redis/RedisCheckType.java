package io.triaready.checks.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.EndpointLogin;
import io.triaready.checks.support.InlineEndpoint;
import io.triaready.checks.support.TargetProbe;
import io.triaready.checks.support.ValueExpression;
import io.triaready.core.expect.Missing;
import io.triaready.core.expect.Values;
import io.triaready.core.expr.EvaluationException;
import io.triaready.core.expr.Expression;
import io.triaready.spi.Endpoint;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Need;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.pool.ClientKey;
import io.triaready.transport.redis.RedisClient;
import io.triaready.transport.redis.RedisUrl;
import redis.clients.jedis.Jedis;

/**
 * {@code redis: {ping: true}}, {@code {info: stats, field: keyspace_hits}},
 * {@code {info: stats, value: "keyspace_hits / (keyspace_hits + keyspace_misses)"}}, {@code {key: "cache:warm"}}
 * or {@code {dbsize: true}}: read-only commands (PING, INFO, TYPE/TTL/length/GET-like reads, DBSIZE) on
 * the target's Redis. Facts: value (primary), exists, info, type, ttl, length, duration_ms. Without
 * {@code expect}: {@code exists: true} (PONG came back, the field or key is there).
 */
public final class RedisCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("value", "value", "exists", "info", "type", "ttl", "length", "duration_ms")
            .withDefault("exists: true");
    static final String DEFAULT_ENDPOINT = "redis";
    static final List<String> MODES = List.of("ping", "info", "key", "dbsize");
    /** Values of collections are read only up to this many elements; strings up to {@link #MAX_STRING} bytes. */
    static final int MAX_ELEMENTS = 1000;
    static final int MAX_STRING = 64 * 1024;

    public enum Mode { PING, INFO, KEY, DBSIZE }

    public RedisCheckType() { super("redis", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        Fields f = fields(spec, ctx);
        if (!f.isValid()) return null;
        List<String> present = MODES.stream().filter(f::has).toList();
        Mode mode = null;
        String arg = null;
        if (present.isEmpty()) {
            ctx.problem(spec, "a redis check needs one of: ping: true, info: <section>, key: <name>, dbsize: true");
        } else if (present.size() > 1) {
            ctx.problem(f.keyNode(present.get(1)), "a redis check does one thing: '" + present.get(0) + "' and '" + present.get(1)
                    + "' cannot be combined (write two checks)");
        } else {
            String m = present.get(0);
            mode = Mode.valueOf(m.toUpperCase(java.util.Locale.ROOT));
            switch (mode) {
                case PING, DBSIZE -> {
                    if (!f.bool(m, false)) {
                        ctx.problem(f.node(m), "'" + m + "' must be true");
                        mode = null;
                    }
                }
                case INFO, KEY -> {
                    arg = f.string(m).orElse(null);
                    if (arg == null || arg.isBlank()) {
                        ctx.problem(f.node(m), mode == Mode.INFO ? "'info' needs a section, e.g. info: stats (or info: all)"
                                : "'key' needs a key name");
                        mode = null;
                    }
                }
            }
        }
        String field = f.string("field").orElse(null);
        Expression value = ValueExpression.read(f, ctx, "INFO fields");
        if ((field != null || f.has("value")) && !present.contains("info")) {
            ctx.problem(f.keyNode(field != null ? "field" : "value"), "'" + (field != null ? "field" : "value") + "' goes with info: <section>");
        }
        if (field != null && f.has("value")) ctx.problem(f.keyNode("value"), "give either 'field' or 'value', not both");
        String endpoint = f.string("endpoint").orElse(null);
        Map<String, Object> inline = InlineEndpoint.read(f, List.of("url", "user", "password", "tunnel"));
        f.integer("db", 0, 1_000_000).ifPresent(d -> inline.put("db", d));
        if (f.has("insecure")) inline.put("insecure", f.bool("insecure", false));
        f.finish();
        if (!InlineEndpoint.urlAccepted(f, ctx, inline, RedisUrl::parse)) return null;
        if (mode == null) return null;
        return new RedisProbe(mode, arg, field, value, endpoint, Map.copyOf(inline),
                Need.endpoint(endpoint, DEFAULT_ENDPOINT, inline, endpoint != null ? f.node("endpoint") : spec, u -> {
                    try {
                        RedisUrl.parse(u);
                        return null;
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                }));
    }

    public record RedisProbe(Mode mode, String arg, String field, Expression value, String endpoint, Map<String, Object> inline,
                             List<Need> needs) implements TargetProbe {
        @Override
        public String describe() {
            return what() + " on " + (endpoint != null ? endpoint : inline.containsKey("url") ? "inline url" : DEFAULT_ENDPOINT);
        }

        private String what() {
            return switch (mode) {
                case PING -> "redis PING";
                case DBSIZE -> "redis DBSIZE";
                case KEY -> "redis key " + arg;
                case INFO -> "redis INFO " + arg + (field != null ? " " + field : value != null ? " " + value.text() : "");
            };
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            RedisClient client = client(ctx);
            RedisClient.OnWire wire = new RedisClient.OnWire();
            Facts.Builder b = Facts.builder();
            for (String n : List.of("info", "type", "ttl", "length")) b.put(n, Missing.INSTANCE);
            switch (mode) {
                case PING -> {
                    String pong = client.call(ctx, wire, Jedis::ping);
                    b.put("value", pong).put("exists", "PONG".equalsIgnoreCase(pong));
                }
                case DBSIZE -> {
                    long n = client.call(ctx, wire, Jedis::dbSize);
                    b.put("value", n).put("exists", true);
                }
                case INFO -> info(client, ctx, wire, b);
                case KEY -> key(client, ctx, wire, b);
            }
            // the commands' own time: not waiting for a pooled connection, nor opening one
            long ms = wire.total().toMillis();
            b.put("duration_ms", ms);
            b.note(what() + " on " + client.where() + " in " + Durations.format(java.time.Duration.ofMillis(ms))
                    + (wire.wasResent() ? "; sent again on a new connection (the server had closed the pooled one)" : ""));
            return b.build();
        }

        private RedisClient client(ProbeContext ctx) throws ProbeException {
            Endpoint ep = Endpoint.resolve(ctx, endpoint, DEFAULT_ENDPOINT, inline);
            EndpointLogin<RedisUrl> login = EndpointLogin.of(ctx, ep, RedisUrl::parse, RedisUrl::user, RedisUrl::password);
            RedisUrl url = login.url();
            String user = login.user();
            String password = login.password();
            int db;
            try {
                db = ep.string("db") != null ? Integer.parseInt(ep.string("db")) : url.db() != null ? url.db() : 0;
            } catch (NumberFormatException e) {
                throw new ProbeException("the " + ep.name() + " endpoint's db must be a number");
            }
            boolean insecure = ep.flag("insecure");
            // everything that authenticates or secures the connection: a wrong password never rides on a right one
            String key = ClientKey.of("redis", url.display() + "/" + db, url.tls(), url.host(), url.port(), db, user,
                    ClientKey.secret(password), ep.tunnel(), insecure);
            int dbNumber = db;
            return ctx.session().shared(key, () -> RedisClient.connect(url, ep.reach(ctx, url.host(), url.port()), user, password,
                    dbNumber, insecure, ctx.secrets(), ctx.deadline().remaining()));
        }

        private void info(RedisClient client, ProbeContext ctx, RedisClient.OnWire wire, Facts.Builder b) throws ProbeException {
            String raw = client.call(ctx, wire, j -> j.info(arg));
            Map<String, Object> fields = parseInfo(raw);
            b.put("info", fields);
            if (fields.isEmpty()) {
                b.put("value", Missing.INSTANCE).put("exists", false).note("INFO " + arg + " returned nothing (is '" + arg + "' a section?)");
                return;
            }
            if (field != null) {
                Object v = lookup(fields, field);
                b.put("value", v).put("exists", v != Missing.INSTANCE);
                if (v == Missing.INSTANCE) b.note("INFO " + arg + " has no field '" + field + "'" + Suggest.didYouMean(field, fields.keySet()));
            } else if (value != null) {
                try {
                    double d = value.evaluate(name -> {
                        Object v = lookup(fields, name);
                        if (v == Missing.INSTANCE) {
                            throw new EvaluationException("INFO " + arg + " has no field '" + name + "'" + Suggest.didYouMean(name, fields.keySet()));
                        }
                        Double n = Values.number(v);
                        if (n == null) throw new EvaluationException("field '" + name + "' is not a number: " + Values.render(v));
                        return n;
                    });
                    b.put("value", d).put("exists", true);
                } catch (EvaluationException e) {
                    throw new ProbeException("value '" + value.text() + "': " + e.getMessage());
                }
            } else {
                b.put("value", fields).put("exists", true);
            }
        }

        private void key(RedisClient client, ProbeContext ctx, RedisClient.OnWire wire, Facts.Builder b) throws ProbeException {
            String type = client.call(ctx, wire, j -> j.type(arg));
            if ("none".equals(type)) {
                b.put("exists", false).put("type", "none").put("value", Missing.INSTANCE).note("key '" + arg + "' does not exist");
                return;
            }
            long ttl = client.call(ctx, wire, j -> j.ttl(arg));
            b.put("exists", true).put("type", type).put("ttl", ttl);
            Object[] read = client.call(ctx, wire, j -> switch (type) {
                case "string" -> {
                    long len = j.strlen(arg);
                    yield new Object[] {len, len > MAX_STRING ? Missing.INSTANCE : j.get(arg)};
                }
                case "list" -> new Object[] {j.llen(arg), new ArrayList<Object>(j.lrange(arg, 0, MAX_ELEMENTS - 1))};
                case "hash" -> {
                    long len = j.hlen(arg);
                    yield new Object[] {len, len > MAX_ELEMENTS ? Missing.INSTANCE : new LinkedHashMap<String, Object>(j.hgetAll(arg))};
                }
                case "set" -> {
                    long len = j.scard(arg);
                    yield new Object[] {len, len > MAX_ELEMENTS ? Missing.INSTANCE : new ArrayList<Object>(new java.util.TreeSet<>(j.smembers(arg)))};
                }
                case "zset" -> new Object[] {j.zcard(arg), Missing.INSTANCE};
                case "stream" -> new Object[] {j.xlen(arg), Missing.INSTANCE};
                default -> new Object[] {Missing.INSTANCE, Missing.INSTANCE};
            });
            b.put("length", read[0]).put("value", read[1]);
            b.note("key '" + arg + "': " + type + ", ttl " + (ttl < 0 ? "none" : ttl + "s")
                    + (read[0] instanceof Long n ? ", length " + n : "")
                    + (read[1] == Missing.INSTANCE && !"zset".equals(type) && !"stream".equals(type) ? " (too large to read its value)" : ""));
        }
    }

    /** INFO text as field → value: numbers as numbers, {@code db0:keys=1,expires=0} as a nested map. */
    static Map<String, Object> parseInfo(String raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (String line : raw.split("\r?\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            out.put(line.substring(0, colon), infoValue(line.substring(colon + 1).strip()));
        }
        return out;
    }

    private static Object infoValue(String v) {
        Object scalar = scalar(v);
        if (!(scalar instanceof String) || !v.contains("=")) return scalar;
        Map<String, Object> nested = new LinkedHashMap<>();
        for (String part : v.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) return v;
            nested.put(part.substring(0, eq), scalar(part.substring(eq + 1)));
        }
        return nested;
    }

    private static Object scalar(String v) {
        if (v.matches("-?\\d{1,18}")) return Long.parseLong(v);
        if (v.matches("-?\\d+\\.\\d+(e[-+]?\\d+)?")) return Double.parseDouble(v);
        return v;
    }

    /** A field, or {@code db0.keys} into a nested value. */
    static Object lookup(Map<String, Object> fields, String name) {
        if (fields.containsKey(name)) return fields.get(name);
        int dot = name.indexOf('.');
        if (dot > 0 && fields.get(name.substring(0, dot)) instanceof Map<?, ?> nested) {
            Object v = nested.get(name.substring(dot + 1));
            if (v != null) return v;
        }
        return Missing.INSTANCE;
    }
}
