package io.triaready.history;

import java.util.List;

/**
 * Scores as one character each, on the absolute 0–100 scale (so 55 → 100 climbs visibly, and a
 * flat 100 stays at the top instead of being stretched into noise). A run without a score is a space.
 */
public final class Sparkline {
    static final String UNICODE = "▁▂▃▄▅▆▇█";
    /** For terminals that are not UTF-8 (or --ascii): eight characters from low to high ink. */
    static final String ASCII = "_.-:=+*#";

    private Sparkline() {}

    public static String of(List<Double> scores, boolean unicode) {
        String levels = unicode ? UNICODE : ASCII;
        StringBuilder b = new StringBuilder();
        for (Double s : scores) {
            if (s == null || s.isNaN()) {
                b.append(' ');
                continue;
            }
            int i = (int) Math.round(Math.max(0, Math.min(100, s)) / 100.0 * (levels.length() - 1));
            b.append(levels.charAt(i));
        }
        return b.toString();
    }
}
