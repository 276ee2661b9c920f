package io.triaready.report;

/** Rewrites text one character at a time: the characters a format gives a meaning become their escaped forms. */
@FunctionalInterface
interface Escaper {
    /** {@code &}, {@code <} and {@code >}: the characters XML, HTML and Markdown's inline HTML read as markup. */
    Escaper MARKUP = ch -> switch (ch) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        default -> null;
    };

    /** The escaped form of {@code ch}, or null to keep it as it is. */
    String escape(char ch);

    default String apply(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String e = escape(ch);
            if (e == null) b.append(ch);
            else b.append(e);
        }
        return b.toString();
    }
}
