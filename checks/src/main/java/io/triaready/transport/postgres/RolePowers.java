package io.triaready.transport.postgres;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.triaready.spi.Deadline;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;

/**
 * What the audit's role on one endpoint can do beyond reading: superuser, or membership of a predefined
 * role that reaches outside the database (run programs, read or write server files, signal other
 * sessions). The screen and the read-only transaction refuse what they can see; such a role still runs
 * whatever a function, view or operator defined on the target does. So the audit says so, once per
 * endpoint: a note on the first check result of that endpoint once it is known, and a run-level
 * warning ({@link Session#warn}).
 */
public final class RolePowers {
    /** Predefined roles whose powers reach outside the database (PostgreSQL 11+; pg_signal_backend 9.6+). */
    static final List<String> OUTSIDE = List.of("pg_execute_server_program", "pg_read_server_files", "pg_signal_backend",
            "pg_write_server_files");

    static final String QUERY = "SELECT r.rolname AS role, r.rolsuper AS superuser, array_to_string(ARRAY("
            + "SELECT g.rolname FROM pg_catalog.pg_roles g WHERE g.rolname IN ('" + String.join("', '", OUTSIDE) + "')"
            + " AND pg_catalog.pg_has_role(r.oid, g.oid, 'MEMBER') ORDER BY 1), ', ') AS powers"
            + " FROM pg_catalog.pg_roles r WHERE r.rolname = current_user";

    /** At most this long per attempt (a connection busy with another check's query is not waited for longer). */
    static final java.time.Duration MAX_WAIT = java.time.Duration.ofSeconds(2);

    private final String endpoint;
    private final AtomicBoolean inspecting = new AtomicBoolean();
    private final AtomicBoolean noted = new AtomicBoolean();
    private volatile boolean known;
    private volatile String warning;

    public RolePowers(String endpoint) { this.endpoint = endpoint; }

    /**
     * Asks the server what the connection's role can do, unless that is known or another check is asking
     * right now. Called after a check's own query, in what is left of its time and at most {@link #MAX_WAIT}:
     * the check's own query never waits for it. An answer that does not come is asked again by the next check.
     */
    public void inspect(PgClient client, Session session, Deadline deadline) {
        Deadline by = deadline.atMost(MAX_WAIT);
        if (known || by.timeout().isZero() || !inspecting.compareAndSet(false, true)) return;
        try {
            QueryResult r = client.query(by, QUERY, 1);
            warning = r.rows().isEmpty() ? null : warning(endpoint, r.rows().get(0));
            known = true;
            if (warning != null) session.warn(warning);
        } catch (ProbeException e) {
            // not known yet: the next check on this endpoint asks again
        } finally {
            inspecting.set(false);
        }
    }

    /** The warning for one row of {@link #QUERY}, or null for a role that can only do what a reader can. */
    static String warning(String endpoint, Map<String, Object> row) {
        String role = String.valueOf(row.get("role"));
        boolean superuser = Boolean.TRUE.equals(row.get("superuser"));
        String powers = row.get("powers") == null ? "" : String.valueOf(row.get("powers"));
        String what = superuser ? "is a superuser" : powers.isBlank() ? null : "holds " + powers;
        if (what == null) return null;
        return "the " + endpoint + " endpoint's role '" + role + "' " + what + ": an audit refuses the SQL it can see would change"
                + " the server, but a function, view or operator defined on the target runs with these powers; give the audit a read-only"
                + " role (pg_read_all_data and pg_monitor: docs/reference/sql.md)";
    }

    /** The warning, to the first caller only (null for everyone else, or when there is nothing to say). */
    public String claim() {
        return warning != null && noted.compareAndSet(false, true) ? warning : null;
    }
}
