package io.triaready.transport.postgres;

import java.util.List;

/**
 * A check's query must be one statement, so that {@code COMMIT; INSERT ...} cannot step out of the
 * read-only transaction it runs in. Statements are told apart on {@link SqlLexer}'s tokens, so a
 * {@code ;} in quotes, dollar quotes or comments does not count.
 */
public final class SqlText {
    private SqlText() {}

    /** The 1-based position of a {@code ;} that is followed by another statement, or 0 when the text is one statement. */
    public static int secondStatementAt(String sql) {
        return secondStatementAt(SqlLexer.tokens(sql));
    }

    public static int secondStatementAt(List<SqlLexer.Token> tokens) {
        int separator = -1;
        for (SqlLexer.Token t : tokens) {
            if (t.isPunct(';')) {
                if (separator < 0) separator = t.start();
            } else if (separator >= 0) {
                return separator + 1;
            }
        }
        return 0;
    }

    /** The text without trailing semicolons and blanks: {@code SELECT 1;} is one statement. */
    public static String stripTrailingSemicolons(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }
}
