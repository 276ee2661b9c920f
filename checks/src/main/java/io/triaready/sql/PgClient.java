package io.triaready.sql;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.triaready.check.ProbeException;
import io.triaready.playbook.Durations;
import io.triaready.secret.Secrets;

/**
 * The run's one JDBC connection to one database (per URL and user), shared by every sql check.
 * A JDBC connection is not for concurrent statements, so queries take turns (a check that cannot get
 * its turn before its deadline is an ERROR, not a hang).
 *
 * <p>An audit never writes: the connection is read-only (driver flag and session default), autocommit
 * is off, every query runs in a transaction opened with {@code SET TRANSACTION READ ONLY} and
 * {@code SET LOCAL statement_timeout} (the check's remaining time), and that transaction is always
 * rolled back. Connect, login and socket timeouts bound a dead or hung server by the check's timeout.
 */
final class PgClient implements AutoCloseable {
    static final String APPLICATION_NAME = "tria-ready";
    /** Slack on the socket timeout so the server's statement_timeout (the clean error) fires first. */
    private static final long SOCKET_SLACK_MS = 500;

    private final PgUrl url;
    private final String jdbcUrl;
    private final String where;
    private final String user;
    private final String password;
    private final Secrets secrets;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;

    private PgClient(PgUrl url, String jdbcUrl, String where, String user, String password, Secrets secrets) {
        this.url = url;
        this.jdbcUrl = jdbcUrl;
        this.where = where;
        this.user = user;
        this.password = password;
        this.secrets = secrets;
    }

    /** Connects now, so a dead server fails once for every check that shares this client. */
    static PgClient connect(PgUrl url, String jdbcUrl, String where, String user, String password, Secrets secrets, Duration timeout)
            throws ProbeException {
        PgClient c = new PgClient(url, jdbcUrl, where, user, password, secrets);
        c.connection = c.open(timeout);
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

    /** Runs one read-only query; keeps at most {@code maxRows} rows but counts them all (within the deadline). */
    QueryResult query(String sql, int maxRows, Instant deadline) throws ProbeException {
        Duration wait = remaining(deadline);
        try {
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ProbeException("timed out waiting for the postgres connection " + where + " (another check is using it)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        }
        try {
            Duration left = remaining(deadline);
            if (left.isZero()) throw new ProbeException("no time left for the query (timeout reached)");
            if (connection == null || connection.isClosed()) connection = open(left);
            return run(sql, maxRows, deadline);
        } catch (SQLException e) {
            // the server may quote part of the query back (at or near "..."): a secret's first characters
            throw new ProbeException("postgres " + where + ": " + secrets.maskEcho(describe(e, remaining(deadline)), sql), e);
        } finally {
            try {
                if (connection != null && !connection.isClosed()) connection.rollback();
            } catch (SQLException ignored) {
                // a broken connection is reopened by the next query
            }
            lock.unlock();
        }
    }

    private QueryResult run(String sql, int maxRows, Instant deadline) throws SQLException, ProbeException {
        long budget = Math.max(1, remaining(deadline).toMillis());
        connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, budget + SOCKET_SLACK_MS));
        long started = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SET LOCAL statement_timeout = " + budget);
            st.setFetchSize(500); // with autocommit off: a cursor, so a huge result is streamed, not held
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
                    if (count % 1000 == 0 && Instant.now().isAfter(deadline)) {
                        throw new ProbeException("reading the result took longer than the timeout (" + count + " rows so far)");
                    }
                }
            }
            return new QueryResult(columns, rows, count, Duration.ofNanos(System.nanoTime() - started));
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
    private String describe(SQLException e, Duration timeout) {
        Throwable cause = e.getCause();
        String state = e.getSQLState();
        String msg;
        if ("57014".equals(state)) {
            msg = "query cancelled by statement_timeout: the check's timeout ran out";
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

    private static Duration remaining(Instant deadline) {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException ignored) {
            // the run is over
        }
    }
}
