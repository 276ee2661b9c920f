package io.triaready.core.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small JSONPath subset, enough for readiness checks: {@code $}, {@code .name}, {@code ['name']},
 * {@code [0]}, {@code [-1]} and {@code [*]} / {@code .*} (which turn the result into a list).
 * Works on plain data (Map/List/scalars) such as Jackson produces.
 */
public final class JsonPath {
    private sealed interface Step permits Key, Index, Wildcard {}
    private record Key(String name) implements Step {}
    private record Index(int index) implements Step {}
    private record Wildcard() implements Step {}

    private final String text;
    private final List<Step> steps;

    private JsonPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    public static boolean looksLikePath(String key) { return key.startsWith("$"); }

    /** @throws IllegalArgumentException with a message naming the offending position */
    public static JsonPath parse(String text) {
        if (!text.startsWith("$")) throw new IllegalArgumentException("a JSON path starts with '$'");
        List<Step> steps = new ArrayList<>();
        int i = 1;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '.') {
                int j = i + 1;
                if (j < n && text.charAt(j) == '*') { steps.add(new Wildcard()); i = j + 1; continue; }
                while (j < n && text.charAt(j) != '.' && text.charAt(j) != '[') j++;
                if (j == i + 1) throw new IllegalArgumentException("empty name at position " + (i + 1));
                steps.add(new Key(text.substring(i + 1, j)));
                i = j;
            } else if (c == '[') {
                int close = findClose(text, i);
                String inner = text.substring(i + 1, close).trim();
                if (inner.equals("*")) {
                    steps.add(new Wildcard());
                } else if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
                        && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
                    steps.add(new Key(inner.substring(1, inner.length() - 1)));
                } else {
                    try {
                        steps.add(new Index(Integer.parseInt(inner)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'[" + inner + "]' at position " + (i + 1) + " is not an index, '*' or a quoted name");
                    }
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at position " + (i + 1) + " (use .name or ['name'])");
            }
        }
        return new JsonPath(text, List.copyOf(steps));
    }

    private static int findClose(String text, int open) {
        int close = text.indexOf(']', open);
        if (close < 0) throw new IllegalArgumentException("'[' at position " + (open + 1) + " is not closed");
        return close;
    }

    /** The value at this path in {@code root}, or {@link Missing#INSTANCE}. */
    public Object read(Object root) {
        List<Object> current = new ArrayList<>();
        current.add(root);
        boolean multi = false;
        for (Step s : steps) {
            List<Object> next = new ArrayList<>();
            for (Object v : current) {
                if (s instanceof Key k && v instanceof Map<?, ?> m && m.containsKey(k.name())) {
                    next.add(m.get(k.name()));
                } else if (s instanceof Index ix && v instanceof List<?> l) {
                    int idx = ix.index() < 0 ? l.size() + ix.index() : ix.index();
                    if (idx >= 0 && idx < l.size()) next.add(l.get(idx));
                } else if (s instanceof Wildcard) {
                    multi = true;
                    if (v instanceof List<?> l) next.addAll(l);
                    else if (v instanceof Map<?, ?> m) next.addAll(m.values());
                }
            }
            current = next;
        }
        if (multi) return current;
        return current.isEmpty() ? Missing.INSTANCE : current.get(0);
    }

    @Override
    public String toString() { return text; }
}
