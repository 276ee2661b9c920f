package io.triaready.transport.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.triaready.spi.ProbeException;

/**
 * The server-side half of "a read-only SQL check has no side effect" (the lexical half is
 * {@link StatementScreen}): guards that need no parsing, around every check's query on a connection.
 *
 * <p>{@link #begin}, in one round trip, opens the check's transaction with {@code SET TRANSACTION READ ONLY}
 * and {@code SET LOCAL} {@code statement_timeout} and {@code lock_timeout} (the check's remaining time:
 * it never waits longer on another session's lock), {@code idle_in_transaction_session_timeout} (so a
 * transaction whose client vanished, and the locks it holds, end on their own), and
 * {@code standard_conforming_strings = on} (the server then reads quotes exactly as the screen did,
 * whatever the role's or database's default: with it off, {@code 'a\''} ends elsewhere and text the
 * screen took for a string would run), and puts {@code pg_catalog} first in {@code search_path}
 * ({@link #CATALOG_FIRST}). It also looks up the functions the query calls by name: one
 * defined outside {@code pg_catalog} and declared VOLATILE is refused, since the screen cannot see
 * what it does.
 *
 * <p>{@link #end} rolls the transaction back and releases every session-level advisory lock in the same
 * round trip, so no lock a check took (whatever hid the call) outlives it; when that fails, it closes
 * the connection, which releases them too.
 */
final class SessionGuard {
    private SessionGuard() {}

    /** How long past its budget a check's transaction may sit idle before the server ends the session. */
    static final long IDLE_SLACK_MS = 5_000;

    /**
     * The built-in functions and operators win over the target's for this transaction: {@code pg_catalog}
     * goes first in {@code search_path} (where the server puts it anyway unless the path names it later:
     * a role or database set to {@code evil, pg_catalog} would make {@code now()} or {@code +} run the
     * target's own). Tables still resolve as the path says.
     */
    static final String CATALOG_FIRST =
            "SELECT pg_catalog.set_config('search_path', 'pg_catalog, ' || pg_catalog.current_setting('search_path'), true)";

    static final String END = "ROLLBACK; SELECT pg_catalog.pg_advisory_unlock_all()";

    /** Opens the check's transaction on {@code st}'s connection (autocommit off); throws when the query calls a VOLATILE function defined on the target. */
    static void begin(Statement st, String sql, long budgetMs) throws SQLException, ProbeException {
        StringBuilder b = new StringBuilder("SET TRANSACTION READ ONLY")
                .append("; SET LOCAL statement_timeout = ").append(budgetMs)
                .append("; SET LOCAL lock_timeout = ").append(budgetMs)
                .append("; SET LOCAL standard_conforming_strings = on");
        if (st.getConnection().getMetaData().getDatabaseMajorVersion() >= 10) { // 9.6 has it too; older ones do not
            b.append("; SET LOCAL idle_in_transaction_session_timeout = ").append(budgetMs + IDLE_SLACK_MS);
        }
        b.append("; ").append(CATALOG_FIRST);
        List<String> called = StatementScreen.calledNames(sql);
        if (!called.isEmpty()) b.append("; ").append(volatileLookup(called));
        String found = null;
        int resultSets = 0;
        boolean isResult = st.execute(b.toString());
        while (true) {
            if (isResult) {
                try (ResultSet rs = st.getResultSet()) {
                    // the first is CATALOG_FIRST's; the second, if any, the look-up's
                    if (++resultSets == 2 && rs.next()) found = rs.getString(1) + "." + rs.getString(2);
                }
            } else if (st.getUpdateCount() == -1) {
                break;
            }
            isResult = st.getMoreResults();
        }
        if (found != null) {
            throw new ProbeException("refused: " + found + "() is a VOLATILE function defined on the target, and what it does cannot be"
                    + " screened; a check calls only functions of pg_catalog or ones declared STABLE or IMMUTABLE (declare it STABLE if it only reads)");
        }
    }

    /** The first (schema, name) among {@code names} that is a VOLATILE function outside pg_catalog and information_schema. */
    static String volatileLookup(List<String> names) {
        StringBuilder in = new StringBuilder();
        for (String n : names) {
            if (in.length() > 0) in.append(", ");
            in.append("E'").append(n.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        return "SELECT n.nspname, p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE p.proname::text = ANY (ARRAY[" + in + "]::text[])"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.provolatile = 'v'"
                + " ORDER BY 1, 2 LIMIT 1";
    }

    /**
     * Ends the check: rolls back its transaction (the read-only one, failed or not) and releases the
     * session's advisory locks, in one round trip. A broken connection is left to be reopened.
     */
    static void end(Connection c) {
        try {
            if (c == null || c.isClosed()) return;
        } catch (SQLException e) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute(END);
            c.rollback(); // nothing left to roll back after END: the driver knows, and sends nothing
        } catch (SQLException e) {
            // a lock might survive on this connection: close it (the server then releases everything);
            // the next query opens another
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
