package io.triaready.report;

/** Escaping for GitHub/GitLab-flavoured Markdown. */
final class Md {
    private static final Escaper TEXT = ch -> switch (ch) {
        case '\\', '`', '*', '_', '[', ']', '|', '~', '#', '!' -> "\\" + ch;
        default -> Escaper.MARKUP.escape(ch);
    };

    private Md() {}

    /**
     * User text for an inline context (a table cell, a heading, a list item): one line, HTML special
     * characters as entities, Markdown punctuation backslash-escaped so it cannot become emphasis, a
     * link, code, a table cell break or a heading.
     */
    static String text(String s) { return TEXT.apply(Fmt.oneLine(s)); }

    /** An inline code span for ids and commands; falls back to escaped text when a span could not hold it. */
    static String code(String s) {
        String c = Fmt.oneLine(s);
        if (c.isEmpty() || c.indexOf('`') >= 0 || c.indexOf('|') >= 0) return text(c);
        return "`" + c + "`";
    }

    /** A fenced block holding text verbatim: the fence is longer than any backtick run inside. */
    static String fenced(String info, String body) {
        String c = Fmt.clean(body);
        int longest = 0, run = 0;
        for (int i = 0; i < c.length(); i++) {
            run = c.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + info + "\n" + c + (c.endsWith("\n") ? "" : "\n") + fence + "\n";
    }
}
