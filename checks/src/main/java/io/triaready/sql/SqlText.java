package io.triaready.sql;

/**
 * Just enough SQL lexing to tell one statement from several: a check's query must be one statement,
 * so that {@code COMMIT; INSERT ...} cannot step out of the read-only transaction it runs in.
 * Knows quotes ({@code '...'}, {@code "..."}, {@code E'\''}), dollar quotes ({@code $tag$...$tag$})
 * and comments ({@code --}, nested {@code /* *}{@code /}).
 */
final class SqlText {
    private SqlText() {}

    /** The 1-based position of a {@code ;} that is followed by another statement, or 0 when the text is one statement. */
    static int secondStatementAt(String sql) {
        int n = sql.length();
        int i = 0;
        int separator = -1;
        while (i < n) {
            char c = sql.charAt(i);
            if (separator >= 0 && !Character.isWhitespace(c) && c != ';' && !sql.startsWith("--", i) && !sql.startsWith("/*", i)) {
                return separator + 1;
            }
            if (c == '\'' ) {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
                i = skipQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', false);
            } else if (c == '-' && sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int depth = 0;
                while (i < n) {
                    if (sql.startsWith("/*", i)) { depth++; i += 2; }
                    else if (sql.startsWith("*/", i)) { depth--; i += 2; if (depth == 0) break; }
                    else i++;
                }
            } else if (c == '$') {
                int end = dollarTagEnd(sql, i);
                if (end > 0) {
                    String tag = sql.substring(i, end);
                    int close = sql.indexOf(tag, end);
                    i = close < 0 ? n : close + tag.length();
                } else {
                    i++;
                }
            } else if (c == ';') {
                if (separator < 0) separator = i;
                i++;
            } else {
                i++;
            }
        }
        return 0;
    }

    /** The text without trailing semicolons and blanks: {@code SELECT 1;} is one statement. */
    static String stripTrailingSemicolons(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }

    private static int skipQuoted(String s, int i, char quote, boolean backslashEscapes) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') { i += 2; continue; }
            if (c == quote) {
                if (i + 1 < n && s.charAt(i + 1) == quote) { i += 2; continue; } // doubled quote
                return i + 1;
            }
            i++;
        }
        return n;
    }

    /** {@code $$} or {@code $tag$} starting at i (and not a parameter such as {@code $1}): the index after it, else -1. */
    private static int dollarTagEnd(String s, int i) {
        if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) return -1;
        int j = i + 1;
        if (j < s.length() && Character.isDigit(s.charAt(j))) return -1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
        return j < s.length() && s.charAt(j) == '$' ? j + 1 : -1;
    }
}
