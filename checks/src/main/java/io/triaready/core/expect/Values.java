package io.triaready.core.expect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.YNode;

/** Comparing and printing the loosely typed values facts hold. */
public final class Values {
    private static final int MAX_RENDER = 200;

    private Values() {}

    /**
     * A number from a Number, a numeric string or a boolean-free value; null when it is not one.
     * {@code NaN}, {@code +Inf} and {@code -Inf} are numbers, written as Prometheus writes them.
     */
    public static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            String t = s.trim();
            if (t.endsWith("%")) t = t.substring(0, t.length() - 1).trim();
            switch (t.toLowerCase(java.util.Locale.ROOT)) {
                case "+inf", "inf", "+infinity", "infinity" -> { return Double.POSITIVE_INFINITY; }
                case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
                case "nan" -> { return Double.NaN; }
                default -> { }
            }
            // Java also reads "1f", "0x1p3" and "1d": not numbers to a user
            if (!t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) return null;
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Equality that forgives representation: 200 equals "200", 1.0 equals 1, true equals "true". */
    public static boolean looselyEqual(Object expected, Object actual) {
        if (actual == Missing.INSTANCE) return false;
        if (actual instanceof FileMode mode) return mode.matches(expected);
        if (isNaN(expected) || isNaN(actual)) return false;
        if (Objects.equals(expected, actual)) return true;
        if (expected == null || actual == null) return false;
        // a boolean fact against a word the user wrote: "yes", "on", "n" mean what they say
        if (actual instanceof Boolean b && expected instanceof String s && YNode.booleanWord(s) != null) {
            return b.equals(YNode.booleanWord(s));
        }
        if (expected instanceof Number || actual instanceof Number) {
            Double a = number(actual);
            Double e = number(expected);
            // as in Prometheus, NaN equals nothing, itself included; +Inf equals +Inf
            if (a != null && e != null) return a.doubleValue() == e.doubleValue();
        }
        if (expected instanceof List<?> el && actual instanceof List<?> al) {
            if (el.size() != al.size()) return false;
            for (int i = 0; i < el.size(); i++) if (!looselyEqual(el.get(i), al.get(i))) return false;
            return true;
        }
        if (expected instanceof Map || actual instanceof Map || expected instanceof List || actual instanceof List) return false;
        return String.valueOf(expected).equals(String.valueOf(actual).strip()) || String.valueOf(expected).equals(String.valueOf(actual));
    }

    private static boolean isNaN(Object v) { return v instanceof Double d && d.isNaN() || v instanceof Float f && f.isNaN(); }

    /** One-line rendering for "expected vs actual": strings quoted, long values cut. */
    public static String render(Object v) {
        String s;
        if (v == null) s = "null";
        else if (v == Missing.INSTANCE) s = "nothing";
        else if (v instanceof String str) s = "\"" + str.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\"", "\\\"") + "\"";
        else if (v instanceof Double d) s = formatNumber(d);
        else if (v instanceof List<?> l) s = "[" + String.join(", ", l.stream().map(Values::render).toList()) + "]";
        else if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, val) -> {
                if (b.length() > 1) b.append(", ");
                b.append(k).append(": ").append(render(val));
            });
            s = b.append('}').toString();
        } else s = String.valueOf(v);
        return s.length() > MAX_RENDER ? s.substring(0, MAX_RENDER) + "…(" + s.length() + " chars)" : s;
    }

    public static String formatNumber(double d) { return Fields.formatNumber(d); }
}
