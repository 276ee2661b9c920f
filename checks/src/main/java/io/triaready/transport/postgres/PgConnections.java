package io.triaready.transport.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** How tria-ready opens PostgreSQL connections: the audit's read-only client and the fix's sql steps alike. */
public final class PgConnections {
    private PgConnections() {}

    /**
     * A PostgreSQL connection with the timeouts every tria-ready connection uses, autocommit off.
     * Audits ask for {@code readOnly}; only fix steps write. The driver class is used directly, not
     * DriverManager: no service loading, and no other driver is ever handed the password.
     */
    public static Connection open(String jdbcUrl, String user, String password, Duration timeout, boolean readOnly,
                                            String applicationName) throws SQLException {
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("connectTimeout", String.valueOf(seconds));
        p.setProperty("loginTimeout", String.valueOf(seconds));
        p.setProperty("socketTimeout", String.valueOf(seconds));
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("tcpKeepAlive", "true");
        if (readOnly) {
            p.setProperty("readOnly", "true");
            p.setProperty("readOnlyMode", "always");
        }
        Connection c = new org.postgresql.Driver().connect(jdbcUrl, p);
        if (c == null) throw new SQLException("the driver does not accept the URL");
        c.setAutoCommit(false);
        return c;
    }
}
