package io.triaready.core.expect;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The matchers every check type shares. Built by {@link MatcherParser} from YAML, or directly in code. */
public final class Matchers {
    private Matchers() {}

    public static Matcher equalTo(Object expected) {
        return new Matcher() {
            public boolean test(Object a) { return Values.looselyEqual(expected, a); }
            public String describe() { return Values.render(expected); }
        };
    }

    /**
     * The inner matcher does not hold. Nothing at all (a missing file, a JSON path that does not
     * resolve) is not evidence of anything, so it fails: say {@code exists: false} to expect absence.
     */
    public static Matcher not(Matcher inner) {
        return new Matcher() {
            public boolean test(Object a) { return a != Missing.INSTANCE && !inner.test(a); }
            public String describe() { return "not " + inner.describe(); }
            public String why(Object a) { return a == Missing.INSTANCE ? "nothing to look at: use exists: false to expect absence" : null; }
        };
    }

    public enum Op {
        LT("<"), LTE("<="), GT(">"), GTE(">=");
        final String symbol;
        Op(String symbol) { this.symbol = symbol; }
    }

    public static Matcher compare(Op op, double bound) {
        return new Matcher() {
            public boolean test(Object a) {
                Double v = Values.number(a);
                if (v == null || v.isNaN()) return false;
                return switch (op) {
                    case LT -> v < bound;
                    case LTE -> v <= bound;
                    case GT -> v > bound;
                    case GTE -> v >= bound;
                };
            }
            public String describe() { return op.symbol + " " + Values.formatNumber(bound); }
            public String why(Object a) { return numberWhy(a); }
        };
    }

    private static String numberWhy(Object a) {
        Double v = Values.number(a);
        if (v == null) return a != Missing.INSTANCE ? "not a number" : null;
        return v.isNaN() ? "NaN is neither above nor below any number, as in Prometheus" : null;
    }

    public static Matcher between(double low, double high) {
        return new Matcher() {
            public boolean test(Object a) {
                Double v = Values.number(a);
                return v != null && v >= low && v <= high;
            }
            public String describe() { return "between " + Values.formatNumber(low) + " and " + Values.formatNumber(high); }
            public String why(Object a) { return numberWhy(a); }
        };
    }

    /** Text contains the string; a list contains an element equal to it; a map has it as a key. */
    public static Matcher contains(Object needle) {
        return new Matcher() {
            public boolean test(Object a) {
                if (a instanceof String s) return s.contains(String.valueOf(needle));
                if (a instanceof Collection<?> c) return c.stream().anyMatch(e -> Values.looselyEqual(needle, e));
                if (a instanceof Map<?, ?> m) return m.containsKey(String.valueOf(needle));
                if (a == null || a == Missing.INSTANCE) return false;
                return String.valueOf(a).contains(String.valueOf(needle));
            }
            public String describe() { return "contains " + Values.render(needle); }
        };
    }

    /** Regex search (not a whole-string match), multi-line: {@code ^} and {@code $} match at every line. */
    public static Matcher matches(Pattern pattern) {
        return new Matcher() {
            public boolean test(Object a) {
                if (a == null || a == Missing.INSTANCE) return false;
                if (a instanceof Collection<?> c) return c.stream().anyMatch(e -> pattern.matcher(String.valueOf(e)).find());
                return pattern.matcher(String.valueOf(a)).find();
            }
            public String describe() { return "matches /" + pattern.pattern() + "/"; }
        };
    }

    public static Matcher oneOf(List<Object> options) {
        return new Matcher() {
            public boolean test(Object a) { return options.stream().anyMatch(o -> Values.looselyEqual(o, a)); }
            public String describe() { return "one of " + Values.render(options); }
        };
    }

    public static Matcher exists(boolean shouldExist) {
        return new Matcher() {
            public boolean test(Object a) {
                boolean present = a != Missing.INSTANCE && a != null && !Boolean.FALSE.equals(a);
                return present == shouldExist;
            }
            public String describe() { return shouldExist ? "exists" : "does not exist"; }
        };
    }

    /** Size of a string, list or map, tested by {@code inner}. */
    public static Matcher length(Matcher inner) {
        return new Matcher() {
            public boolean test(Object a) {
                Integer n = sizeOf(a);
                return n != null && inner.test(n);
            }
            public String describe() { return "length " + inner.describe(); }
            public String why(Object a) {
                Integer n = sizeOf(a);
                return n == null ? "has no length" : "length is " + n;
            }
        };
    }

    public static Integer sizeOf(Object a) {
        if (a instanceof String s) return s.length();
        if (a instanceof Collection<?> c) return c.size();
        if (a instanceof Map<?, ?> m) return m.size();
        return null;
    }

    /** Every element of a list passes {@code inner} (an empty list passes: say {@code length} to require some). */
    public static Matcher all(Matcher inner) {
        return new Matcher() {
            public boolean test(Object a) { return a instanceof Collection<?> c && c.stream().allMatch(inner::test); }
            public String describe() { return "all " + inner.describe(); }
            public String why(Object a) {
                if (!(a instanceof Collection<?> c)) return "not a list";
                return c.stream().filter(e -> !inner.test(e)).findFirst().map(e -> "first failing element " + Values.render(e)).orElse(null);
            }
        };
    }

    public static Matcher any(Matcher inner) {
        return new Matcher() {
            public boolean test(Object a) { return a instanceof Collection<?> c && c.stream().anyMatch(inner::test); }
            public String describe() { return "any " + inner.describe(); }
            public String why(Object a) { return a instanceof Collection<?> ? null : "not a list"; }
        };
    }

    /** All of the given matchers: what a mapping with several operators means. */
    public static Matcher allOf(List<Matcher> parts) {
        if (parts.size() == 1) return parts.get(0);
        return new Matcher() {
            public boolean test(Object a) { return parts.stream().allMatch(m -> m.test(a)); }
            public String describe() { return String.join(" and ", parts.stream().map(Matcher::describe).toList()); }
            public String why(Object a) {
                return parts.stream().filter(m -> !m.test(a)).findFirst().map(m -> {
                    String w = m.why(a);
                    return "fails " + m.describe() + (w == null ? "" : " (" + w + ")");
                }).orElse(null);
            }
        };
    }
}
