package io.triaready.base.yaml;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "500ms", "5s", "2m", "1h", "3d", "1m30s", or a bare number of seconds; printed the same way. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    /** The longest duration anything accepts: ten years (a sign-off's validity); longer is a typo, or an attack on arithmetic. */
    public static final Duration MAX = Duration.ofDays(3650);

    private Durations() {}

    /** @throws IllegalArgumentException with a one-line reason: not a duration, or longer than {@link #MAX} */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double millis = 0;
        if (t.matches("\\d+(\\.\\d+)?")) {
            millis = Double.parseDouble(t) * 1000;
        } else {
            Matcher m = PART.matcher(t);
            int pos = 0;
            while (m.find() && m.start() == pos) {
                double n = Double.parseDouble(m.group(1));
                millis += switch (m.group(2)) {
                    case "ms" -> n;
                    case "s" -> n * 1000;
                    case "m" -> n * 60_000;
                    case "h" -> n * 3_600_000;
                    default -> n * 86_400_000;
                };
                pos = m.end();
            }
            if (pos == 0 || pos != t.length()) throw new IllegalArgumentException("invalid duration '" + text + "' (use e.g. 500ms, 5s, 2m)");
        }
        // compared as a double, before any rounding to long can saturate or overflow
        if (!(millis <= MAX.toMillis())) throw new IllegalArgumentException("duration '" + text + "' is longer than " + format(MAX));
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * As people write durations: 850ms, 2.5s, 45s, 1m5s, 1h30m, 3d. Under a second in milliseconds;
     * under a minute in seconds to a tenth; from a minute on in whole d/h/m/s parts, zero parts left out.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 0) return "-" + format(d.negated());
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) {
            long tenths = Math.round(ms / 100.0);
            if (tenths < 600) return tenths % 10 == 0 ? tenths / 10 + "s" : String.format(Locale.ROOT, "%d.%ds", tenths / 10, tenths % 10);
        }
        long s = Math.round(ms / 1000.0);
        StringBuilder b = new StringBuilder();
        long days = s / 86_400, hours = s / 3600 % 24, minutes = s / 60 % 60, seconds = s % 60;
        if (days > 0) b.append(days).append('d');
        if (hours > 0) b.append(hours).append('h');
        if (minutes > 0) b.append(minutes).append('m');
        if (seconds > 0) b.append(seconds).append('s');
        return b.toString();
    }
}
