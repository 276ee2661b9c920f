package io.triaready.transport.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.spi.Deadline;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.pool.BoundedPool;

/**
 * The run's connections to one database (per URL, user, password and tunnel), shared by every sql
 * check: a small pool ({@link #MAX_CONNECTIONS}) so that a slow query holds one connection while the
 * other checks run on others. A JDBC connection runs one statement at a time; when every connection is
 * busy a check waits for one, and that wait is reported as queued, not as the check's time.
 *
 * <p>An audit never writes: each connection is read-only (driver flag and session default), autocommit
 * is off, every query runs in a transaction opened with {@code SET TRANSACTION READ ONLY} and
 * {@code SET LOCAL statement_timeout} (the check's remaining time), and that transaction is always
 * rolled back. Connect, login and socket timeouts bound a dead or hung server by the check's timeout.
 *
 * <p>A query past its time is stopped on the server: its statement_timeout cancels it there, and if no
 * answer came shortly after, a cancel request is sent ({@link Statement#cancel()}); a connection whose
 * statement needed that, or whose socket timed out, is closed instead of going back to the pool. A
 * query that fails because the server had closed an idle pooled connection (a restart, an idle
 * timeout, a terminated backend) is run once more on a new connection: it only reads.
 */
public final class PgClient implements AutoCloseable {
    public static final String APPLICATION_NAME = "tria-ready";
    /** Connections one run opens to one database at most (see docs/reference/sql.md). */
    public static final int MAX_CONNECTIONS = 4;
    /** After the statement_timeout: when the client sends its own cancel request, should the server's not have fired. */
    private static final long CANCEL_SLACK_MS = 300;
    /** Slack on the socket timeout so the server's statement_timeout (the clean error) and the cancel come first. */
    private static final long SOCKET_SLACK_MS = 1500;

    private final PgUrl url;
    private final String jdbcUrl;
    private final String where;
    private final String user;
    private final String password;
    private final Secrets secrets;
    private final BoundedPool<Connection> pool;
    /** The statement each leased connection is running, to cancel it when the run ends first. */
    private final Map<Connection, Statement> running = new ConcurrentHashMap<>();

    private PgClient(PgUrl url, String jdbcUrl, String where, String user, String password, Secrets secrets) {
        this.url = url;
        this.jdbcUrl = jdbcUrl;
        this.where = where;
        this.user = user;
        this.password = password;
        this.secrets = secrets;
        this.pool = new BoundedPool<>(MAX_CONNECTIONS, "postgres " + where, PgClient::closeQuietly);
    }

    /** Connects now, so a dead server or a wrong password fails once for every check that shares this client. */
    public static PgClient connect(PgUrl url, String jdbcUrl, String where, String user, String password, Secrets secrets, Duration timeout)
            throws ProbeException {
        PgClient c = new PgClient(url, jdbcUrl, where, user, password, secrets);
        c.pool.adopt(c.open(timeout));
        return c;
    }

    private Connection open(Duration timeout) throws ProbeException {
        try {
            Connection c = PgConnections.open(jdbcUrl, user, password, timeout, true, APPLICATION_NAME);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
            }
            c.commit(); // SET is transactional: keep the session default
            return c;
        } catch (SQLException e) {
            throw new ProbeException("cannot connect to postgres " + where + ": " + describe(e, timeout), e);
        }
    }

    /**
     * Runs one read-only query on a pooled connection within {@code ctx}'s deadline; keeps at most
     * {@code maxRows} rows but counts them all. Waiting for a connection is reported to {@code ctx} as
     * queued; the result's duration is the query's own time.
     */
    public QueryResult query(ProbeContext ctx, String sql, int maxRows) throws ProbeException {
        return query(ctx.deadline(), sql, maxRows);
    }

    /**
     * A query within {@code deadline}: a check's (its waits for a connection are reported to it, and
     * move it out), or a plain one for a query that is not a check's own (waiting eats its time).
     */
    public QueryResult query(Deadline deadline, String sql, int maxRows) throws ProbeException {
        Duration timeout = deadline.timeout();
        boolean resent = false;
        while (true) {
            BoundedPool.Lease<Connection> lease = pool.acquire(deadline, this::open);
            Connection c = lease.connection();
            Run run = new Run();
            try {
                if (deadline.remaining().isZero()) throw new ProbeException("no time left for the query (timeout reached)");
                QueryResult r = run(c, sql, maxRows, deadline, run);
                return resent ? r.resent() : r;
            } catch (SQLException e) {
                if (!resent && lease.reused() && !run.cancelled && closedByServer(e)) {
                    // the server closed this idle connection (and most likely the others): once more on a new one
                    pool.dropIdle();
                    resent = true;
                    continue;
                }
                throw new ProbeException("postgres " + where + ": " + secrets.maskEcho(describe(e, timeout, run.cancelled), sql), e);
            } finally {
                pool.release(c, !run.cancelled && ended(c));
            }
        }
    }

    /** What happened to one statement: whether the client had to cancel it (then its connection is not reused). */
    private static final class Run {
        volatile boolean cancelled;
    }

    private QueryResult run(Connection c, String sql, int maxRows, Deadline deadline, Run state) throws SQLException, ProbeException {
        long budget = Math.max(1, deadline.remaining().toMillis());
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, budget + SOCKET_SLACK_MS));
        try (Statement st = c.createStatement()) {
            SessionGuard.begin(st, sql, budget); // read-only, timeouts, and no VOLATILE function of the target's
            st.setFetchSize(500); // with autocommit off: a cursor, so a huge result is streamed, not held
            running.put(c, st);
            ScheduledFuture<?> canceller = Cancels.SCHEDULER.schedule(() -> {
                state.cancelled = true;
                cancelQuietly(st);
            }, budget + CANCEL_SLACK_MS, TimeUnit.MILLISECONDS);
            try {
                long started = System.nanoTime();
                boolean hasResult = st.execute(sql);
                List<String> columns = new ArrayList<>();
                List<Map<String, Object>> rows = new ArrayList<>();
                long count = 0;
                if (!hasResult) {
                    return new QueryResult(columns, rows, 0, Duration.ofNanos(System.nanoTime() - started));
                }
                try (ResultSet rs = st.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    int n = md.getColumnCount();
                    for (int i = 1; i <= n; i++) columns.add(md.getColumnLabel(i));
                    while (rs.next()) {
                        if (count < maxRows) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int i = 1; i <= n; i++) row.put(columns.get(i - 1), plain(rs, i, md.getColumnType(i)));
                            rows.add(row);
                        }
                        count++;
                        if (count % 1000 == 0 && Instant.now().isAfter(deadline.end())) {
                            throw new ProbeException("reading the result took longer than the timeout (" + count + " rows so far)");
                        }
                    }
                }
                return new QueryResult(columns, rows, count, Duration.ofNanos(System.nanoTime() - started));
            } finally {
                canceller.cancel(false);
                running.remove(c);
            }
        }
    }

    /**
     * Ends the check's transaction and releases its advisory locks (SessionGuard.end, which closes the
     * connection when it cannot); false when the connection is closed or broken, so it is not pooled.
     */
    private static boolean ended(Connection c) {
        SessionGuard.end(c);
        try {
            return !c.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The server had closed the connection before the query could run: a broken connection (SQLSTATE
     * class 08, not a socket timeout) or the server ending the session (admin shutdown, crash,
     * starting up, idle-session timeout).
     */
    static boolean closedByServer(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) return false;
        }
        String state = e.getSQLState();
        if (state == null) return false;
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") || state.equals("57P05");
    }

    /** One daemon thread that sends cancel requests for statements past their time. */
    private static final class Cancels {
        static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tria-pg-cancel");
            t.setDaemon(true);
            return t;
        });

        static {
            SCHEDULER.setRemoveOnCancelPolicy(true);
        }
    }

    private static void cancelQuietly(Statement st) {
        try {
            st.cancel();
        } catch (SQLException | RuntimeException ignored) {
            // the connection is closed, or the statement finished: nothing left to stop
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (!c.isClosed()) c.rollback();
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the run is over
        }
    }

    /** A column value as plain data: Long, Double, Boolean, String (dates in ISO form), List for arrays, or null. */
    static Object plain(ResultSet rs, int i, int type) throws SQLException {
        Object v;
        switch (type) {
            case Types.TIMESTAMP_WITH_TIMEZONE -> v = rs.getObject(i, OffsetDateTime.class);
            case Types.TIMESTAMP -> v = rs.getObject(i, LocalDateTime.class);
            case Types.DATE -> v = rs.getObject(i, LocalDate.class);
            case Types.TIME -> v = rs.getObject(i, LocalTime.class);
            default -> v = rs.getObject(i);
        }
        return plain(v);
    }

    static Object plain(Object v) throws SQLException {
        if (v == null) return null;
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d.doubleValue();
            }
        }
        if (v instanceof BigInteger b) return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
        if (v instanceof Array a) {
            Object arr = a.getArray();
            List<Object> out = new ArrayList<>();
            if (arr instanceof Object[] items) for (Object o : items) out.add(plain(o));
            return out;
        }
        if (v instanceof byte[] bytes) return "<" + bytes.length + " bytes>";
        return v.toString(); // dates (ISO), UUID, json/jsonb, vector, interval, ...
    }

    /** One line for a driver error: its first line, what it means, and never the password. */
    private String describe(SQLException e, Duration timeout) { return describe(e, timeout, false); }

    private String describe(SQLException e, Duration timeout, boolean cancelledByUs) {
        Throwable cause = e.getCause();
        String state = e.getSQLState();
        String msg;
        if ("57014".equals(state)) {
            msg = cancelledByUs ? "query cancelled: the check's timeout ran out"
                    : "query cancelled by statement_timeout: the check's timeout ran out";
        } else if (cause instanceof SocketTimeoutException || String.valueOf(e.getMessage()).startsWith("Connection attempt timed out")) {
            msg = "no answer within " + Durations.format(timeout) + " (server hung or unreachable)";
        } else if (cause instanceof ConnectException ce) {
            msg = ce.getMessage() == null ? "connection refused" : ce.getMessage();
        } else if (cause instanceof UnknownHostException) {
            msg = "unknown host " + url.host();
        } else {
            msg = firstLine(e.getMessage());
            if (msg.startsWith("ERROR: ")) msg = msg.substring("ERROR: ".length());
            if (msg.startsWith("FATAL: ")) msg = msg.substring("FATAL: ".length());
            if (state != null && !state.isEmpty() && !state.startsWith("08")) msg += " (SQLSTATE " + state + ")";
        }
        if (password != null && !password.isEmpty()) msg = msg.replace(password, Secrets.MASK);
        return secrets.mask(msg);
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** Ends the run's use of the database: statements still running are cancelled on the server, then every connection is closed. */
    @Override
    public void close() {
        for (Statement st : List.copyOf(running.values())) cancelQuietly(st);
        pool.close();
    }
}
