package io.triaready.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/** Characters for terminals that are UTF-8, and their ASCII stand-ins; times as people read them. */
record Glyphs(boolean unicode) {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** UTF-8 unless --ascii, or the locale (LC_ALL, else LC_CTYPE, else LANG) does not say UTF-8. */
    static Glyphs of(boolean ascii, Function<String, String> env) {
        if (ascii) return new Glyphs(false);
        String locale = null;
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.apply(name);
            if (v != null && !v.isBlank()) {
                locale = v;
                break;
            }
        }
        String l = locale == null ? "" : locale.toUpperCase(Locale.ROOT);
        return new Glyphs(l.contains("UTF-8") || l.contains("UTF8"));
    }

    String arrow() { return unicode ? "→" : "->"; }

    String pass() { return unicode ? "✓" : "+"; }

    String fail() { return unicode ? "✗" : "x"; }

    String ellipsis() { return unicode ? "…" : "..."; }

    String dot() { return unicode ? "·" : "-"; }

    static String when(Instant t) { return WHEN.format(t); }
}
