package io.triaready.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

import io.triaready.core.result.CheckResult;

/**
 * Formatting shared by the report renderers. Everything is locale- and time-zone-independent (times in
 * UTC), so the same result renders byte for byte the same on every machine.
 */
final class Fmt {
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:/@%+=,-]+");

    private Fmt() {}

    /** A score or percentage: one decimal at most, no trailing ".0" (59.3, 100). */
    static String number(double v) {
        double r = Math.round(v * 10) / 10.0;
        if (r == Math.rint(r)) return String.valueOf((long) r);
        return String.format(Locale.ROOT, "%.1f", r);
    }

    /** "59.3/100", or "no data" (never a number when nothing was evaluated). */
    static String score(Double v) { return v == null ? "no data" : number(v) + "/100"; }

    /** Seconds with millisecond precision, for machine formats ("0.240"). */
    static String seconds(long ms) { return String.format(Locale.ROOT, "%.3f", Math.max(0, ms) / 1000.0); }

    /** A duration for people: "240 ms", "8.4 s", "2 min 5 s". */
    static String duration(long ms) {
        if (ms < 1000) return Math.max(0, ms) + " ms";
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        long s = Math.round(ms / 1000.0);
        return (s / 60) + " min " + (s % 60) + " s";
    }

    /** ISO-8601 in UTC to the second: "2026-11-21T09:30:00Z". */
    static String iso(Instant t) { return t.truncatedTo(ChronoUnit.SECONDS).toString(); }

    static String human(Instant t) { return HUMAN.format(t); }

    static String day(Instant t) { return DAY.format(t); }

    static String title(CheckResult c) {
        return c.title() == null || c.title().isBlank() ? c.id() : c.title();
    }

    /** The command that applies the check's fix, ready to paste into a shell; null when it has none. */
    static String fixCommand(CheckResult c, String target) {
        if (c.fix() == null || c.fix().isBlank()) return null;
        return "tria-ready fix " + shellQuote(c.fix()) + " --target " + shellQuote(target == null ? "local" : target);
    }

    /** Quotes for a POSIX shell unless the word is plainly safe (ids and target names usually are). */
    static String shellQuote(String word) {
        if (SHELL_SAFE.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String nz(String s) { return s == null ? "" : s; }

    /** Continuation lines of a multi-line value indented by {@code prefix} (blank lines left empty). */
    static String indentRest(String s, String prefix) {
        return nz(s).replaceAll("\n(?=[^\n])", "\n" + prefix);
    }

    /**
     * Replaces characters no report format can carry (C0/C1 controls other than tab and newline, lone
     * surrogates, U+FFFE/U+FFFF) with U+FFFD: evidence comes from targets and may hold anything,
     * ANSI escapes included. Carriage returns become newlines.
     */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            char rep = ch;
            if (ch == '\r') {
                rep = (i + 1 < s.length() && s.charAt(i + 1) == '\n') ? 0 : '\n';
            } else if ((ch < 0x20 && ch != '\t' && ch != '\n') || (ch >= 0x7f && ch <= 0x9f) || ch == 0xFFFE || ch == 0xFFFF) {
                rep = '\uFFFD';
            } else if (Character.isHighSurrogate(ch)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (b != null) b.append(ch).append(s.charAt(i + 1));
                    i++;
                    continue;
                }
                rep = '\uFFFD';
            } else if (Character.isLowSurrogate(ch)) {
                rep = '\uFFFD';
            }
            if (rep != ch && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            if (b != null && rep != 0) b.append(rep);
        }
        return b == null ? s : b.toString();
    }

    /** {@link #clean} and newlines/tabs folded to single spaces: for one-line contexts. */
    static String oneLine(String s) {
        return clean(s).replaceAll("[\\n\\t]+", " ").strip();
    }
}
