package io.triaready.report;

/**
 * Text from a target (command output, bodies, headers, error messages, file contents) made harmless
 * for a terminal: every control character but newline and tab is shown as a visible escape
 * ({@code ESC ] 0 ; pwned BEL} becomes {@code \e]0;pwned\a}), so a report read with {@code cat} or
 * {@code less -R} cannot set the window title, clear the screen, move the cursor or hide text. The
 * same for C1 controls, carriage returns (which would overwrite a line), lone surrogates and the
 * bidirectional overrides that reorder what is displayed. The other formats keep their own rules
 * ({@link Fmt#clean}: XML 1.0 cannot carry most controls at all; JSON escapes them).
 */
public final class TerminalSafe {
    private TerminalSafe() {}

    public static String text(String s) {
        if (s == null) return null;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String rep = escape(s, i);
            if (rep == null) {
                if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (b != null) b.append(ch).append(s.charAt(i + 1));
                    i++;
                } else if (b != null) {
                    b.append(ch);
                }
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            b.append(rep);
        }
        return b == null ? s : b.toString();
    }

    /** The visible form of the character at {@code i}, or null when it is shown as it is. */
    private static String escape(String s, int i) {
        char ch = s.charAt(i);
        if (ch == '\n' || ch == '\t') return null;
        if (ch == '\r') return i + 1 < s.length() && s.charAt(i + 1) == '\n' ? "" : "\\r";
        if (ch < 0x20) {
            return switch (ch) {
                case 0x1b -> "\\e";
                case 0x07 -> "\\a";
                case 0x08 -> "\\b";
                case 0x0c -> "\\f";
                case 0x0b -> "\\v";
                case 0x00 -> "\\0";
                default -> String.format("\\x%02x", (int) ch);
            };
        }
        if (ch == 0x7f) return "\\x7f";
        if (ch >= 0x80 && ch <= 0x9f) return String.format("\\u%04x", (int) ch);
        if ((ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069) || ch == 0x200e || ch == 0x200f || ch == 0x061c) {
            return String.format("\\u%04x", (int) ch);
        }
        if (Character.isHighSurrogate(ch)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? null : "\\ufffd";
        if (Character.isLowSurrogate(ch)) return "\\ufffd";
        return null;
    }
}
