package io.triaready.base.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a parser needs while reading a user's file: where to report problems, and how to expand variables. */
public final class ParseContext {
    private final Problems problems;
    private final Interpolator interpolator;

    public ParseContext(Problems problems, Interpolator interpolator) {
        this.problems = problems;
        this.interpolator = interpolator;
    }

    /** A context with no variables, for tests and simple files. */
    public static ParseContext plain() { return new ParseContext(new Problems(), Interpolator.none()); }

    public Problems problems() { return problems; }

    public Interpolator interpolator() { return interpolator; }

    public void problem(YNode at, String message) { problems.add(at, message); }

    /** A warning: the load goes on ({@code validate --strict} refuses it). */
    public void warn(YNode at, String message) { problems.warn(at, message); }

    /** A scalar as an interpolated string (numbers and booleans as written). Reports and returns null otherwise. */
    public String string(YNode n, String what) {
        if (n == null || n.isNull()) return null;
        if (!n.isScalar()) {
            problem(n, what + " must be a string, got " + n.describe());
            return null;
        }
        return interpolator.apply(n.text(), n, problems);
    }

    /** The node as plain data with every string interpolated; numbers and booleans keep their type. */
    public Object plain(YNode n) {
        if (n == null) return null;
        return switch (n.kind()) {
            case MAP -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<YNode, YNode> e : n.entries()) {
                    m.put(String.valueOf(e.getKey().isScalar() ? interpolator.apply(e.getKey().text(), e.getKey(), problems) : e.getKey()),
                            plain(e.getValue()));
                }
                yield m;
            }
            case SEQ -> {
                List<Object> l = new ArrayList<>();
                for (YNode i : n.items()) l.add(plain(i));
                yield l;
            }
            case SCALAR -> {
                Object v = n.scalar();
                yield v instanceof String s ? interpolator.apply(s, n, problems) : v;
            }
        };
    }
}
