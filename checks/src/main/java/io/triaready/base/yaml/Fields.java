package io.triaready.base.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the keys of one YAML mapping, reporting every problem at its position: wrong types,
 * missing required keys and, in {@link #finish()}, keys nobody read (with a "did you mean").
 * Every parser of a check type, fix step or inventory entry reads its mapping through this.
 */
public final class Fields {
    private final YNode node;
    private final ParseContext ctx;
    private final String what;
    private final Map<String, YNode> values = new LinkedHashMap<>();
    private final Map<String, YNode> keys = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    private final boolean valid;

    private Fields(YNode node, ParseContext ctx, String what) {
        this.node = node;
        this.ctx = ctx;
        this.what = what;
        this.valid = node != null && node.isMap();
        if (node != null && !node.isMap() && !node.isNull()) {
            ctx.problem(node, what + " must be a mapping, got " + node.describe());
        }
        if (valid) {
            for (Map.Entry<YNode, YNode> e : node.entries()) {
                YNode k = e.getKey();
                if (!k.isScalar() || k.isNull()) {
                    ctx.problem(k, "keys in " + what + " must be plain strings");
                    continue;
                }
                String key = k.text();
                if (keys.containsKey(key)) {
                    ctx.problem(k, "duplicate key '" + key + "' in " + what + " (first at line " + keys.get(key).line() + ")");
                    continue;
                }
                keys.put(key, k);
                values.put(key, e.getValue());
            }
        }
    }

    /** {@code what} names the mapping in messages, e.g. "http check" or "fix 'chromadb'". */
    public static Fields of(YNode node, ParseContext ctx, String what) { return new Fields(node, ctx, what); }

    public YNode at() { return node; }

    public ParseContext context() { return ctx; }

    public String what() { return what; }

    public boolean isValid() { return valid; }

    public boolean has(String key) {
        known.add(key);
        return values.containsKey(key);
    }

    /** The raw value node, or null. Marks the key as known. */
    public YNode node(String key) {
        known.add(key);
        return values.get(key);
    }

    /** The key's own node (for problems about the key rather than its value). */
    public YNode keyNode(String key) { return keys.get(key); }

    /** Keys actually present, in file order. */
    public Set<String> presentKeys() { return keys.keySet(); }

    /** Marks keys as known without reading them (e.g. keys a caller reads through {@link #node}). */
    public Fields allow(String... names) {
        known.addAll(List.of(names));
        return this;
    }

    public Optional<String> string(String key) {
        YNode n = node(key);
        if (n == null || n.isNull()) return Optional.empty();
        return Optional.ofNullable(ctx.string(n, "'" + key + "'"));
    }

    public String string(String key, String defaultValue) { return string(key).orElse(defaultValue); }

    public String requiredString(String key) {
        YNode n = node(key);
        if (n == null || n.isNull()) {
            missing(key);
            return null;
        }
        return ctx.string(n, "'" + key + "'");
    }

    public void missing(String key) {
        ctx.problem(node, what + " is missing required key '" + key + "'");
    }

    /** The longest wait a file may ask for: a timeout, a delay or an interval of more than a day is a mistake. */
    public static final Duration MAX_WAIT = Duration.ofHours(24);

    /**
     * A duration. Keys that are waits ({@code timeout}, {@code *_timeout}, {@code interval},
     * {@code retry_delay}, {@code rate_over}, {@code keepalive}) are at most {@link #MAX_WAIT}, and
     * timeouts and intervals more than zero; any other duration (an age, a validity) is at most
     * {@link Durations#MAX}.
     */
    public Optional<Duration> duration(String key) {
        YNode n = node(key);
        if (n == null || n.isNull()) return Optional.empty();
        String s = ctx.string(n, "'" + key + "'");
        if (s == null) return Optional.empty();
        try {
            Duration d = Durations.parse(s);
            if (d.isNegative()) throw new IllegalArgumentException("'" + key + "' must not be negative");
            boolean timeout = key.equals("timeout") || key.endsWith("_timeout") || key.equals("interval");
            boolean wait = timeout || key.equals("retry_delay") || key.equals("rate_over") || key.equals("keepalive");
            if (timeout && d.isZero()) throw new IllegalArgumentException("must be greater than 0");
            if (wait && d.compareTo(MAX_WAIT) > 0) throw new IllegalArgumentException("must be at most " + Durations.format(MAX_WAIT) + ", got " + s.trim());
            return Optional.of(d);
        } catch (IllegalArgumentException e) {
            ctx.problem(n, "'" + key + "': " + e.getMessage());
            return Optional.empty();
        }
    }

    public Optional<Long> integer(String key) {
        YNode n = node(key);
        if (n == null || n.isNull()) return Optional.empty();
        Object v = n.isScalar() ? n.scalar() : null;
        if (n.isScalar() && v instanceof String s) {
            String t = ctx.interpolator().apply(s, n, ctx.problems());
            try {
                return Optional.of(Long.parseLong(t.trim()));
            } catch (NumberFormatException e) {
                v = t;
            }
        }
        if (!(v instanceof Long l)) {
            ctx.problem(n, "'" + key + "' must be a whole number, got " + n.describe());
            return Optional.empty();
        }
        return Optional.of(l);
    }

    public long integer(String key, long defaultValue) { return integer(key).orElse(defaultValue); }

    /** A whole number from {@code min} to {@code max}; out of range is a problem at its position (and empty). */
    public Optional<Long> integer(String key, long min, long max) {
        Optional<Long> v = integer(key);
        if (v.isPresent() && (v.get() < min || v.get() > max)) {
            ctx.problem(node(key), "'" + key + "' must be between " + min + " and " + max + ", got " + v.get());
            return Optional.empty();
        }
        return v;
    }

    /** A finite number (never NaN nor infinite: {@code .nan} or {@code 1e309} in a file is a mistake). */
    public Optional<Double> number(String key) {
        YNode n = node(key);
        if (n == null || n.isNull()) return Optional.empty();
        Object v = n.isScalar() ? n.scalar() : null;
        if (v instanceof Number num && Double.isFinite(num.doubleValue())) return Optional.of(num.doubleValue());
        if (v instanceof Number) {
            ctx.problem(n, "'" + key + "' must be a finite number, got " + n.text());
            return Optional.empty();
        }
        ctx.problem(n, "'" + key + "' must be a number, got " + n.describe());
        return Optional.empty();
    }

    /** A finite number with {@code min < value <= max} ({@code minExclusive}) or {@code min <= value <= max}. */
    public Optional<Double> number(String key, double min, boolean minExclusive, double max) {
        Optional<Double> v = number(key);
        boolean below = v.isPresent() && (minExclusive ? v.get() <= min : v.get() < min);
        if (v.isPresent() && (below || v.get() > max)) {
            ctx.problem(node(key), "'" + key + "' must be " + (minExclusive ? "greater than " : "at least ") + formatNumber(min)
                    + " and at most " + formatNumber(max) + ", got " + node(key).text());
            return Optional.empty();
        }
        return v;
    }

    public boolean bool(String key, boolean defaultValue) {
        YNode n = node(key);
        if (n == null || n.isNull()) return defaultValue;
        Boolean b = n.asBoolean();
        if (b != null) return b;
        ctx.problem(n, "'" + key + "' must be true or false, got " + n.describe());
        return defaultValue;
    }

    /** A list of strings; a single scalar is accepted as a one-element list. */
    public List<String> stringList(String key) {
        YNode n = node(key);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (n.isScalar()) {
            String s = ctx.string(n, "'" + key + "'");
            if (s != null) out.add(s);
            return out;
        }
        if (!n.isSeq()) {
            ctx.problem(n, "'" + key + "' must be a list of strings, got " + n.describe());
            return out;
        }
        for (YNode i : n.items()) {
            String s = ctx.string(i, "items of '" + key + "'");
            if (s != null) out.add(s);
        }
        return out;
    }

    /** A mapping of string to string (headers, query parameters, labels). */
    public Map<String, String> stringMap(String key) {
        YNode n = node(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        Fields inner = Fields.of(n, ctx, "'" + key + "'");
        for (String k : inner.presentKeys()) {
            YNode v = inner.node(k);
            String s = v.isNull() ? "" : ctx.string(v, "'" + key + "." + k + "'");
            if (s != null) out.put(k, s);
        }
        return out;
    }

    /** The value as plain interpolated data (maps, lists, scalars), or null. */
    public Object plain(String key) {
        YNode n = node(key);
        return n == null ? null : ctx.plain(n);
    }

    /** Reports every key present that no reader asked for, with a suggestion when one is close. */
    public void finish() {
        for (Map.Entry<String, YNode> e : keys.entrySet()) {
            if (!known.contains(e.getKey())) {
                ctx.problem(e.getValue(), "unknown key '" + e.getKey() + "' in " + what + Suggest.didYouMean(e.getKey(), known));
            }
        }
    }

    /** A number as people write it: whole numbers without ".0", others to six significant digits, NaN and ±Inf as Prometheus does. */
    public static String formatNumber(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        return new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
