package io.triaready.checks.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.triaready.transport.http.Exposition;

/**
 * Which series of a scrape a check means: a metric name and label matchers, written PromQL-style
 * ({@code http_requests_total{status=~"5..", method!="OPTIONS"}}) or built from a {@code labels:}
 * mapping (a value starting with {@code ~} is a regular expression). Regexes match the whole value.
 */
public record Selector(String name, List<LabelMatcher> matchers) {
    public Selector {
        matchers = List.copyOf(matchers);
    }

    public enum Op {
        EQ("="), NE("!="), RE("=~"), NRE("!~");
        final String symbol;
        Op(String symbol) { this.symbol = symbol; }
    }

    public record LabelMatcher(String label, Op op, String value, Pattern pattern) {
        boolean test(Map<String, String> labels) {
            String v = labels.getOrDefault(label, ""); // an absent label matches "" (as in PromQL)
            return switch (op) {
                case EQ -> v.equals(value);
                case NE -> !v.equals(value);
                case RE -> pattern.matcher(v).matches();
                case NRE -> !pattern.matcher(v).matches();
            };
        }

        @Override
        public String toString() { return label + op.symbol + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
    }

    /** {@code name} or {@code name{label="v", ...}}. @throws IllegalArgumentException with a one-line reason */
    public static Selector parse(String text) {
        String t = text.strip();
        int brace = t.indexOf('{');
        String name = (brace < 0 ? t : t.substring(0, brace)).strip();
        if (name.isEmpty()) throw new IllegalArgumentException("a metric name is needed before '{'");
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:.]*")) throw new IllegalArgumentException("invalid metric name '" + name + "'");
        List<LabelMatcher> matchers = new ArrayList<>();
        if (brace >= 0) {
            if (!t.endsWith("}")) throw new IllegalArgumentException("missing '}'");
            String body = t.substring(brace + 1, t.length() - 1);
            int i = 0;
            while (i < body.length()) {
                while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == ',')) i++;
                if (i >= body.length()) break;
                int start = i;
                while (i < body.length() && (Character.isLetterOrDigit(body.charAt(i)) || body.charAt(i) == '_')) i++;
                String label = body.substring(start, i);
                if (label.isEmpty()) throw new IllegalArgumentException("invalid label name at '" + body.substring(start) + "'");
                while (i < body.length() && body.charAt(i) == ' ') i++;
                Op op;
                if (body.startsWith("=~", i)) op = Op.RE;
                else if (body.startsWith("!~", i)) op = Op.NRE;
                else if (body.startsWith("!=", i)) op = Op.NE;
                else if (body.startsWith("=", i)) op = Op.EQ;
                else throw new IllegalArgumentException("expected =, !=, =~ or !~ after " + label);
                i += op.symbol.length();
                while (i < body.length() && body.charAt(i) == ' ') i++;
                if (i >= body.length() || body.charAt(i) != '"') throw new IllegalArgumentException("the value of " + label + " must be quoted");
                StringBuilder v = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < body.length()) {
                    char c = body.charAt(i++);
                    if (c == '\\' && i < body.length()) {
                        char e = body.charAt(i++);
                        v.append(e == 'n' ? '\n' : e);
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) throw new IllegalArgumentException("unterminated value of " + label);
                matchers.add(matcher(label, op, v.toString()));
            }
        }
        return new Selector(name, matchers);
    }

    /** From a {@code labels:} mapping: exact values, or a regex when the value starts with {@code ~}. */
    public static List<LabelMatcher> fromMap(Map<String, String> labels) {
        List<LabelMatcher> out = new ArrayList<>();
        labels.forEach((k, v) -> out.add(v.startsWith("~") ? matcher(k, Op.RE, v.substring(1)) : matcher(k, Op.EQ, v)));
        return out;
    }

    static LabelMatcher matcher(String label, Op op, String value) {
        Pattern p = null;
        if (op == Op.RE || op == Op.NRE) {
            try {
                p = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex for " + label + ": " + e.getDescription());
            }
        }
        return new LabelMatcher(label, op, value, p);
    }

    /** The same name with {@code extra} matchers when it has none of its own. */
    public Selector orLabels(List<LabelMatcher> extra) { return matchers.isEmpty() ? new Selector(name, extra) : this; }

    public boolean matches(Exposition.Sample s) {
        if (!s.name().equals(name)) return false;
        for (LabelMatcher m : matchers) if (!m.test(s.labels())) return false;
        return true;
    }

    @Override
    public String toString() {
        if (matchers.isEmpty()) return name;
        return name + "{" + String.join(", ", matchers.stream().map(LabelMatcher::toString).toList()) + "}";
    }
}
