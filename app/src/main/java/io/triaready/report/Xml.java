package io.triaready.report;

/** Escaping for XML and HTML text and attribute values (both after {@link Fmt#clean}). */
final class Xml {
    private Xml() {}

    static String text(String s) {
        String c = Fmt.clean(s);
        StringBuilder b = new StringBuilder(c.length() + 16);
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** Safe inside double or single quotes; newlines and tabs kept as character references. */
    static String attr(String s) {
        String c = Fmt.clean(s);
        StringBuilder b = new StringBuilder(c.length() + 16);
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\n' -> b.append("&#10;");
                case '\t' -> b.append("&#9;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
