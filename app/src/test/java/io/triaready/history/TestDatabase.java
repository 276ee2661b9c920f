package io.triaready.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** A database of its own for one test on the local PostgreSQL (127.0.0.1:5432, trust auth, user postgres), dropped afterwards. */
final class TestDatabase implements AutoCloseable {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    final String name = "tria_history_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);

    TestDatabase() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("these tests need PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres"
                    + " (e.g. 'sudo service postgresql start'): " + e.getMessage(), e);
        }
    }

    /** The store URL a user would give. */
    String url() { return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres"; }

    Connection connect() throws SQLException { return DriverManager.getConnection(url()); }

    private static Connection admin() throws SQLException { return DriverManager.getConnection(ADMIN_URL); }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
