package io.triaready.report;

/** Escaping for XML and HTML text and attribute values (both after {@link Fmt#clean}). */
final class Xml {
    private static final Escaper ATTR = ch -> switch (ch) {
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        case '\n' -> "&#10;";
        case '\t' -> "&#9;";
        default -> Escaper.MARKUP.escape(ch);
    };

    private Xml() {}

    static String text(String s) { return Escaper.MARKUP.apply(Fmt.clean(s)); }

    /** Safe inside double or single quotes; newlines and tabs kept as character references. */
    static String attr(String s) { return ATTR.apply(Fmt.clean(s)); }
}
