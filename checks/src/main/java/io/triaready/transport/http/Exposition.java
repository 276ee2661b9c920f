package io.triaready.transport.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A parser for what a {@code /metrics} endpoint serves: the Prometheus text exposition format (0.0.4)
 * and OpenMetrics 1.0 ({@code # EOF}, {@code # UNIT}, exemplars after {@code " # "}, float-second
 * timestamps). Comments, HELP, TYPE and UNIT lines; label values with {@code \\ \" \n} escapes;
 * {@code +Inf}, {@code -Inf} and {@code NaN}; optional timestamps; quoted (UTF-8) metric and label names
 * as in {@code {"my.metric", "le"="1"}}. Anything else is a {@link ParseException} naming the line.
 */
public final class Exposition {
    private Exposition() {}

    /** One sample line. Labels are in the order written. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** A parsed scrape: every sample, and the declared type of each metric family (counter, gauge, histogram, ...). */
    public record Scrape(List<Sample> samples, Map<String, String> types) {
        public Scrape {
            samples = List.copyOf(samples);
            types = Map.copyOf(types);
        }

        /** Every sample name and every family named by HELP/TYPE/UNIT, sorted. */
        public List<String> names() {
            TreeSet<String> out = new TreeSet<>(types.keySet());
            for (Sample s : samples) out.add(s.name());
            return List.copyOf(out);
        }

        public boolean hasName(String name) {
            if (types.containsKey(name)) return true;
            for (Sample s : samples) if (s.name().equals(name)) return true;
            return false;
        }
    }

    public static final class ParseException extends Exception {
        public ParseException(int line, String message) { super("line " + line + ": " + message); }
    }

    public static Scrape parse(String text) throws ParseException {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isBlank()) continue;
            int lineNo = i + 1;
            if (line.startsWith("#")) {
                String[] parts = line.substring(1).strip().split("[ \t]+", 3);
                if (parts[0].equals("EOF")) break;
                if ((parts[0].equals("HELP") || parts[0].equals("TYPE") || parts[0].equals("UNIT")) && parts.length >= 2) {
                    String family = parts[1];
                    if (family.startsWith("\"")) family = new Cursor(line.substring(line.indexOf('"')), lineNo).quoted();
                    if (parts[0].equals("TYPE")) types.put(family, parts.length > 2 ? parts[2].strip() : "untyped");
                    else types.putIfAbsent(family, "unknown");
                }
                continue; // any other comment
            }
            samples.add(new Cursor(line, lineNo).sample());
        }
        return new Scrape(samples, types);
    }

    /** Parses a sample value: a decimal or exponent float, or +Inf / -Inf / NaN (any case). */
    public static double value(String token) {
        String t = token.toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "+inf", "inf", "+infinity", "infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            case "nan", "+nan", "-nan" -> { return Double.NaN; }
            default -> { }
        }
        if (!t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?") && !t.matches("[-+]?0x[0-9a-f]+")) {
            throw new NumberFormatException(token);
        }
        if (t.contains("0x")) {
            boolean negative = t.startsWith("-");
            long v = Long.parseLong(t.substring(t.indexOf("0x") + 2), 16);
            return negative ? -v : v;
        }
        return Double.parseDouble(t);
    }

    /** Reads one sample line left to right. */
    private static final class Cursor {
        private final String s;
        private final int line;
        private int pos;

        Cursor(String s, int line) {
            this.s = s;
            this.line = line;
        }

        Sample sample() throws ParseException {
            String name = null;
            Map<String, String> labels = new LinkedHashMap<>();
            if (peek() == '{') {
                pos++;
                labels(labels, true);
                name = labels.remove("__name__");
                if (name == null) throw error("a quoted metric name is expected inside '{'");
            } else {
                name = metricName();
                int afterName = pos;
                skipBlanks();
                if (peek() == '{') {
                    pos++;
                    labels(labels, false);
                } else {
                    pos = afterName;
                }
            }
            int before = pos;
            skipBlanks();
            if (pos == before && pos < s.length()) throw error("expected a space before the value, found '" + s.charAt(pos) + "'");
            String valueToken = token();
            if (valueToken.isEmpty()) throw error("missing value for " + name);
            double value;
            try {
                value = value(valueToken);
            } catch (NumberFormatException e) {
                throw error("invalid value '" + valueToken + "' for " + name);
            }
            skipBlanks();
            if (pos < s.length() && peek() != '#') {
                String ts = token();
                try {
                    value(ts);
                } catch (NumberFormatException e) {
                    throw error("invalid timestamp '" + ts + "' for " + name);
                }
                skipBlanks();
            }
            // OpenMetrics exemplar: " # {trace_id=\"...\"} 1.0 [timestamp]": checked for shape, not kept
            if (pos < s.length() && peek() == '#') {
                pos++;
                skipBlanks();
                if (peek() != '{') throw error("an exemplar starts with '{'");
                pos++;
                labels(new LinkedHashMap<>(), false);
                skipBlanks();
                String ev = token();
                try {
                    value(ev);
                } catch (NumberFormatException e) {
                    throw error("invalid exemplar value '" + ev + "'");
                }
                skipBlanks();
                if (pos < s.length()) token();
                skipBlanks();
            }
            if (pos < s.length()) throw error("unexpected '" + s.substring(pos) + "' after the value");
            return new Sample(name, labels, value);
        }

        private String metricName() throws ParseException {
            int start = pos;
            if (pos < s.length() && isNameStart(s.charAt(pos))) {
                pos++;
                while (pos < s.length() && (isNameStart(s.charAt(pos)) || Character.isDigit(s.charAt(pos)))) pos++;
            }
            if (pos == start) {
                String word = s.split("[ \t{]", 2)[0];
                throw error("invalid metric name '" + (word.length() > 40 ? word.substring(0, 40) + "..." : word) + "'");
            }
            return s.substring(start, pos);
        }

        /** After '{': label pairs up to '}'. With {@code quotedName}, a bare quoted string is the metric name. */
        private void labels(Map<String, String> out, boolean quotedName) throws ParseException {
            while (true) {
                skipBlanks();
                if (peek() == '}') {
                    pos++;
                    return;
                }
                String key;
                if (peek() == '"') {
                    key = quoted();
                    skipBlanks();
                    if (quotedName && (peek() == ',' || peek() == '}') && !out.containsKey("__name__")) {
                        out.put("__name__", key);
                        if (peek() == ',') pos++;
                        continue;
                    }
                } else {
                    int start = pos;
                    while (pos < s.length() && (isNameStart(s.charAt(pos)) && s.charAt(pos) != ':' || Character.isDigit(s.charAt(pos)))) pos++;
                    if (pos == start) throw error(pos < s.length() ? "invalid label name at '" + s.charAt(pos) + "'" : "missing '}'");
                    key = s.substring(start, pos);
                }
                skipBlanks();
                if (peek() != '=') throw error("expected '=' after label " + key);
                pos++;
                skipBlanks();
                if (peek() != '"') throw error("the value of label " + key + " must be quoted");
                out.put(key, quoted());
                skipBlanks();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error(pos >= s.length() ? "missing '}'" : "expected ',' or '}' after label " + key);
                }
            }
        }

        /** At '"': a string with \\, \" and \n escapes. */
        String quoted() throws ParseException {
            pos++;
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c == '\\') {
                    if (pos >= s.length()) break;
                    char e = s.charAt(pos++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case '\\' -> b.append('\\');
                        case '"' -> b.append('"');
                        default -> b.append('\\').append(e); // the text format keeps unknown escapes as written
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("unterminated quoted string");
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') pos++;
            return s.substring(start, pos);
        }

        private void skipBlanks() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) pos++;
        }

        private char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        private ParseException error(String message) { return new ParseException(line, message); }

        private static boolean isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
    }
}
