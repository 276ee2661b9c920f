package io.triaready.base.secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every secret value known to a run (whatever came from {@code ${env:...}} or {@code ${file:...}},
 * inventory passwords, tokens), so that any text leaving the process (reports, messages, evidence,
 * logs, history) can be masked first.
 *
 * <p>A secret is masked in every form it can take on the way out, not only as written: in any letter
 * case (an HTML search index lower-cases titles), percent-encoded (upper or lower hex, {@code +} or
 * {@code %20} for a space: URLs), JSON-escaped (backslash and unicode escapes), HTML/XML-escaped
 * ({@code &amp;}, {@code &#38;}, {@code &#x26;}), Markdown-escaped ({@code \*}) and base64 (standard
 * and URL-safe, at any of the three byte offsets, as in {@code Basic dXNlcjpw...}). Each character
 * of a secret may take any of its forms independently, so mixed encodings are caught too.
 *
 * <p>Values shorter than {@link #MIN_LENGTH} are not registered: masking every "1" would destroy
 * reports and such values are not secrets worth the name. The loaders warn about them
 * ({@link #warnings()}), and about a secret equal to another value of the playbook or inventory
 * ({@link #checkCollisions}), which would otherwise mask unrelated text without a word.
 */
public final class Secrets {
    public static final String MASK = "******";
    public static final int MIN_LENGTH = 4;
    /** Base64 fragments shorter than this are not masked: too likely to occur by chance. */
    private static final int MIN_BASE64 = 6;
    /** Longer secrets are matched in whole-text forms only (see {@link #compile}). */
    private static final int PER_CHARACTER_MAX = 256;

    /** user:password@ in any URL, and password=... in a JDBC-style query string. */
    private static final Pattern URL_USERINFO = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](?:password|passwd|pwd|secret|token|api[_-]?key)=)([^&;\\s\"']+)");

    /**
     * Every secret any {@code Secrets} of this process was told (one command per process in the CLI):
     * for output that no run's registry covers, such as an internal error's message and stack trace.
     */
    private static final java.util.Set<String> PROCESS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Where each secret came from (for warnings), in the order they were added. */
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    /** Rebuilt (under this) only when a secret is added. */
    private volatile Compiled compiled = Compiled.EMPTY;

    private record Compiled(List<String> longestFirst, Pattern derived, Pattern base64) {
        static final Compiled EMPTY = new Compiled(List.of(), null, null);
    }

    public void add(String value) { add(value, null); }

    /**
     * Registers a secret. {@code origin} says where it came from for warnings (for example
     * {@code playbook.yaml:3:12: ${env:DB_PASSWORD}}); null when there is nothing to point at.
     * A value shorter than {@link #MIN_LENGTH} (but not empty) is not masked: with an origin, a
     * warning says so.
     */
    public void add(String value, String origin) {
        if (value == null || value.isEmpty()) return;
        String v = value.strip();
        if (v.length() < MIN_LENGTH) {
            if (origin != null && !v.isEmpty()) {
                warnings.add(origin + " is only " + v.length() + " character" + (v.length() == 1 ? "" : "s")
                        + " long: too short to be masked, it will show in reports (a secret needs at least " + MIN_LENGTH + ")");
            }
            return;
        }
        PROCESS.add(v);
        PROCESS.add(value);
        synchronized (this) {
            boolean added = false;
            if (!origins.containsKey(v)) {
                origins.put(v, origin);
                added = true;
            } else if (origin != null && origins.get(v) == null) {
                origins.put(v, origin);
            }
            if (!v.equals(value) && !origins.containsKey(value)) {
                origins.put(value, origin);
                added = true;
            }
            if (added) compiled = compile(origins.keySet());
        }
    }

    public boolean isEmpty() { return compiled.longestFirst.isEmpty(); }

    /** A registry of every secret this process has seen so far ({@link #PROCESS}), built when asked. */
    public static Secrets everyKnown() {
        Secrets all = new Secrets();
        for (String v : PROCESS) all.add(v);
        return all;
    }

    /** Every registered value, longest first (for code that must keep them out of somewhere, e.g. a command line). */
    public List<String> values() { return compiled.longestFirst; }

    /** Warnings found while registering secrets and checking them ({@link #checkCollisions}), each with its origin. */
    public List<String> warnings() { return List.copyOf(warnings); }

    /**
     * Warns about each secret equal (in any letter case) to one of {@code plainValues}: the playbook's
     * and inventory's ordinary values (user names, host names, check ids, variables). Such a secret is
     * still masked everywhere (never leaked), so the report shows {@link #MASK} where those values
     * appear; the warning says why. {@code plainValues} maps each value to what it is ("the ssh user").
     */
    public void checkCollisions(Map<String, String> plainValues) {
        Map<String, String> byFolded = new LinkedHashMap<>();
        plainValues.forEach((value, what) -> {
            if (value != null && !value.isBlank()) byFolded.putIfAbsent(value.strip().toLowerCase(Locale.ROOT), what);
        });
        List<Map.Entry<String, String>> entries;
        synchronized (this) {
            entries = new ArrayList<>(origins.entrySet());
        }
        for (Map.Entry<String, String> e : entries) {
            String what = byFolded.get(e.getKey().toLowerCase(Locale.ROOT));
            if (what == null) continue;
            String origin = e.getValue() == null ? "a secret" : e.getValue();
            warnings.add(origin + " has the same value as " + what + ": it is masked everywhere, so reports show " + MASK
                    + " wherever " + what + " appears (use a different secret, or a plain value if it is not one)");
        }
    }

    /** The text with every known secret (in all its forms), URL password and password parameter replaced by {@link #MASK}. */
    public String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        Compiled c = compiled;
        String out = text;
        if (c.derived != null) out = c.derived.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
        if (c.base64 != null) out = c.base64.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
        out = URL_USERINFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        out = PASSWORD_PARAM.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return out;
    }

    /**
     * Masks, in a message a server sent back about {@code source} (a query with secrets in it), each
     * quoted fragment that is part of a secret there: PostgreSQL's {@code at or near "..."} and
     * {@code LINE 1: ...} context may quote a secret's first characters only, which {@link #mask}
     * cannot know. Then masks as {@link #mask} does.
     */
    public String maskEcho(String message, String source) {
        if (message == null || source == null) return mask(message);
        List<int[]> spans = new ArrayList<>();
        for (String v : compiled.longestFirst) {
            for (int i = source.indexOf(v); i >= 0; i = source.indexOf(v, i + 1)) spans.add(new int[] {i, i + v.length()});
        }
        if (spans.isEmpty()) return mask(message);
        String out = message;
        // every run of MIN_LENGTH+ characters of the message that also occurs in the source inside a secret's span
        // (in any case: PostgreSQL folds unquoted identifiers to lower case)
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < out.length()) {
            int best = 0;
            for (int[] s : spans) {
                for (int start = s[0]; start < s[1]; start++) {
                    int n = 0;
                    while (i + n < out.length() && start + n < s[1]
                            && Character.toLowerCase(out.charAt(i + n)) == Character.toLowerCase(source.charAt(start + n))) n++;
                    best = Math.max(best, n);
                }
            }
            if (best >= MIN_LENGTH) {
                b.append(MASK);
                i += best;
            } else {
                b.append(out.charAt(i++));
            }
        }
        return mask(b.toString());
    }

    private static Compiled compile(Collection<String> values) {
        List<String> longestFirst = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        StringBuilder derived = new StringBuilder();
        List<String> b64 = new ArrayList<>();
        for (String v : longestFirst) {
            if (derived.length() > 0) derived.append('|');
            if (v.length() <= PER_CHARACTER_MAX) {
                derived.append("(?:");
                v.codePoints().forEach(cp -> derived.append(forms(cp)));
                derived.append(')');
            } else {
                // a group per character would overflow the regex engine's stack (a PEM key): whole-text forms
                derived.append(wholeForms(v).stream().distinct().map(Pattern::quote).collect(java.util.stream.Collectors.joining("|")));
            }
            b64.addAll(base64Forms(v));
        }
        Pattern base64 = null;
        if (!b64.isEmpty()) {
            StringBuilder p = new StringBuilder();
            StringBuilder firsts = new StringBuilder();
            b64.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).forEach(s -> {
                if (p.length() > 0) p.append('|');
                p.append(Pattern.quote(s));
                firsts.append(literal(s.charAt(0)));
            });
            base64 = Pattern.compile("(?=[" + firsts + "])(?:" + p + ")");
        }
        // a cheap look at one character first: most positions of a long text cannot start any form
        StringBuilder anchors = new StringBuilder("%&\\\\+");
        for (String v : longestFirst) anchors.append(literal(v.codePointAt(0)));
        return new Compiled(longestFirst, Pattern.compile("(?=[" + anchors + "])(?:" + derived + ")", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), base64);
    }

    /** The forms of a long secret as whole texts (each encoding applied to all of it). */
    private static List<String> wholeForms(String v) {
        String pct = java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
        String json = v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        String html = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        return List.of(v, pct, pct.replace("+", "%20"), json, html, html.replace("\n", " "), v.replace("\n", " "), html.replace("'", "&#39;"));
    }

    /** A regex group matching the character {@code cp} in any of the forms it takes in an output. */
    private static String forms(int cp) {
        List<String> alts = new ArrayList<>();
        alts.add(literal(cp));
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        StringBuilder pct = new StringBuilder();
        for (byte x : utf8) pct.append('%').append(String.format("%02X", x & 0xff));
        alts.add(pct.toString()); // matched case-insensitively: %2f and %2F
        StringBuilder json = new StringBuilder();
        for (char ch : Character.toChars(cp)) json.append("\\\\u").append(String.format("%04X", (int) ch));
        alts.add(json.toString());
        alts.add("&#0*" + cp + ";");
        alts.add("&#x0*" + Integer.toHexString(cp) + ";");
        switch (cp) {
            case ' ' -> alts.add("\\+");
            case '&' -> alts.add("&amp;");
            case '<' -> alts.add("&lt;");
            case '>' -> alts.add("&gt;");
            case '"' -> alts.add("&quot;");
            case '\'' -> alts.add("&apos;");
            case '\n' -> { alts.add("\\\\n"); alts.add("\\r?\\n"); alts.add(" "); }
            case '\r' -> alts.add("\\\\r");
            case '\t' -> alts.add("\\\\t");
            default -> { }
        }
        // a backslash before punctuation: JSON (\" \\ \/) and Markdown (\* \_ \|) escapes
        if (cp < 128 && !Character.isLetterOrDigit(cp) && cp > ' ') alts.add("\\\\" + literal(cp));
        return "(?:" + String.join("|", alts) + ")";
    }

    private static String literal(int cp) {
        return Character.isLetterOrDigit(cp) && cp < 128 ? String.valueOf((char) cp) : "\\x{" + Integer.toHexString(cp) + "}";
    }

    /**
     * The base64 text that encodes the secret wherever it sits in the encoded bytes: for each of the
     * three offsets, only the characters that depend on the secret's bytes alone.
     */
    private static List<String> base64Forms(String v) {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            byte[] shifted = new byte[k + bytes.length];
            System.arraycopy(bytes, 0, shifted, k, bytes.length);
            String enc = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int from = (8 * k + 5) / 6;
            int to = Math.min(enc.length(), 8 * (k + bytes.length) / 6);
            if (to - from < MIN_BASE64) continue;
            String part = enc.substring(from, to);
            out.add(part);
            String urlSafe = part.replace('+', '-').replace('/', '_');
            if (!urlSafe.equals(part)) out.add(urlSafe);
        }
        return out;
    }
}
