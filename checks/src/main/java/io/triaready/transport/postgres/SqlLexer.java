package io.triaready.transport.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's lexical rules, as far as telling code from quoted text goes: words (keywords and
 * identifiers, folded to lower case as the server folds them), quoted identifiers ({@code "x"}),
 * Unicode-escaped identifiers ({@code U&"x"}), strings ({@code '...'}, {@code E'\''}, {@code B'..'},
 * {@code X'..'}, {@code N'..'}, {@code U&'..'}), dollar quotes ({@code $tag$...$tag$}), numbers,
 * parameters ({@code $1}) and single punctuation characters. Comments ({@code --}, nested
 * {@code /* *}{@code /}) and blanks are dropped.
 *
 * <p>It follows the server's scanner (scan.l) where it matters for the screen: identifier characters
 * are {@code [A-Za-z_]}, digits and {@code $} after the first, and every non-ASCII character (so a
 * look-alike space glued to a name is part of the name, as on the server); a comment may start inside
 * an operator ({@code +--}). Plain strings have no backslash escapes: the audit's session forces
 * {@code standard_conforming_strings = on} (see {@link SessionGuard}), so the server reads them the
 * same way. Unterminated text runs to the end, where the server refuses it anyway.
 */
final class SqlLexer {
    private SqlLexer() {}

    enum Kind { WORD, QUOTED_IDENT, UNICODE_IDENT, STRING, NUMBER, PARAM, PUNCT }

    /** One token: its kind, its value (a word folded to lower case, a quoted identifier unquoted), and where it starts. */
    record Token(Kind kind, String value, int start) {
        boolean is(Kind k, String v) { return kind == k && value.equals(v); }

        boolean isWord(String w) { return is(Kind.WORD, w); }

        boolean isPunct(char c) { return kind == Kind.PUNCT && value.length() == 1 && value.charAt(0) == c; }

        /** A name as the server would look it up: a word or a quoted identifier. */
        boolean isName() { return kind == Kind.WORD || kind == Kind.QUOTED_IDENT; }
    }

    static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && sql.startsWith("--", i)) {
                while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') i++;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int depth = 0;
                while (i < n) {
                    if (sql.startsWith("/*", i)) { depth++; i += 2; }
                    else if (sql.startsWith("*/", i)) { depth--; i += 2; if (depth == 0) break; }
                    else i++;
                }
            } else if (c == '\'') {
                int end = skipQuoted(sql, i, '\'', false);
                out.add(new Token(Kind.STRING, unquote(sql, i, end, '\''), i));
                i = end;
            } else if (c == '"') {
                int end = skipQuoted(sql, i, '"', false);
                out.add(new Token(Kind.QUOTED_IDENT, unquote(sql, i, end, '"'), i));
                i = end;
            } else if (c == '$') {
                int tagEnd = dollarTagEnd(sql, i);
                if (tagEnd > 0) {
                    String tag = sql.substring(i, tagEnd);
                    int close = sql.indexOf(tag, tagEnd);
                    int end = close < 0 ? n : close + tag.length();
                    out.add(new Token(Kind.STRING, sql.substring(tagEnd, close < 0 ? n : close), i));
                    i = end;
                } else if (i + 1 < n && isDigit(sql.charAt(i + 1))) {
                    int j = i + 1;
                    while (j < n && isDigit(sql.charAt(j))) j++;
                    out.add(new Token(Kind.PARAM, sql.substring(i, j), i));
                    i = j;
                } else {
                    out.add(new Token(Kind.PUNCT, "$", i));
                    i++;
                }
            } else if (isIdentStart(c)) {
                int j = i + 1;
                while (j < n && isIdentCont(sql.charAt(j))) j++;
                String word = sql.substring(i, j);
                String lower = word.toLowerCase(Locale.ROOT);
                char next = j < n ? sql.charAt(j) : 0;
                if (next == '\'' && (lower.equals("e"))) {
                    int end = skipQuoted(sql, j, '\'', true);
                    out.add(new Token(Kind.STRING, sql.substring(j, end), i));
                    i = end;
                } else if (next == '\'' && (lower.equals("b") || lower.equals("x") || lower.equals("n"))) {
                    int end = skipQuoted(sql, j, '\'', false);
                    out.add(new Token(Kind.STRING, unquote(sql, j, end, '\''), i));
                    i = end;
                } else if (lower.equals("u") && sql.startsWith("&'", j)) {
                    int end = skipQuoted(sql, j + 1, '\'', false);
                    out.add(new Token(Kind.STRING, unquote(sql, j + 1, end, '\''), i));
                    i = end;
                } else if (lower.equals("u") && sql.startsWith("&\"", j)) {
                    int end = skipQuoted(sql, j + 1, '"', false);
                    out.add(new Token(Kind.UNICODE_IDENT, unquote(sql, j + 1, end, '"'), i));
                    i = end;
                } else {
                    out.add(new Token(Kind.WORD, lower, i));
                    i = j;
                }
            } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
                int j = i;
                while (j < n && (isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) j++;
                if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) k++;
                    if (k < n && isDigit(sql.charAt(k))) {
                        j = k;
                        while (j < n && isDigit(sql.charAt(j))) j++;
                    }
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j), i));
                i = j;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), i));
                i++;
            }
        }
        return out;
    }

    /** The server's blanks (scan.l's {@code space}, with the vertical tab of later versions). */
    static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B; }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static boolean isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }

    private static boolean isIdentCont(char c) { return isIdentStart(c) || isDigit(c) || c == '$'; }

    /** The index after the quoted text starting at {@code i} (doubled quotes stay inside; with escapes, a backslash takes the next character). */
    private static int skipQuoted(String s, int i, char quote, boolean backslashEscapes) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') { i += 2; continue; }
            if (c == quote) {
                if (i + 1 < n && s.charAt(i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return n;
    }

    private static String unquote(String s, int start, int end, char quote) {
        int to = end > start + 1 && s.charAt(end - 1) == quote ? end - 1 : end;
        String q = String.valueOf(quote);
        return s.substring(Math.min(start + 1, to), to).replace(q + q, q);
    }

    /** {@code $$} or {@code $tag$} starting at i (the tag is an identifier without {@code $}): the index after it, else -1. */
    private static int dollarTagEnd(String s, int i) {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '$') return j + 1;
        if (j >= s.length() || !isIdentStart(s.charAt(j))) return -1;
        while (j < s.length() && (isIdentStart(s.charAt(j)) || isDigit(s.charAt(j)))) j++;
        return j < s.length() && s.charAt(j) == '$' ? j + 1 : -1;
    }
}
