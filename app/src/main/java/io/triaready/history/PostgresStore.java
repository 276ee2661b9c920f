package io.triaready.history;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import io.triaready.base.secret.Secrets;
import io.triaready.core.engine.RunResult;
import io.triaready.core.score.Verdict;
import io.triaready.report.ResultJson;

/**
 * The team store: results in PostgreSQL, so everyone's audits of a target share one history.
 * The tool creates and migrates its schema itself: {@code tria_ready_schema_version} records the
 * migrations applied, under an advisory lock so two first runs at once do not both migrate.
 * One short connection per operation (an audit records once; there is nothing to pool).
 */
public final class PostgresStore implements HistoryStore {
    /** Migration n is MIGRATIONS.get(n - 1). Append only: never edit one that has shipped. */
    static final List<String[]> MIGRATIONS = List.<String[]>of(
            new String[] {
                """
                CREATE TABLE tria_ready_results (
                    id          text PRIMARY KEY,
                    started     timestamptz NOT NULL,
                    playbook    text NOT NULL,
                    target      text NOT NULL,
                    score       double precision,
                    verdict     text NOT NULL,
                    interrupted boolean NOT NULL,
                    result      jsonb NOT NULL,
                    recorded    timestamptz NOT NULL DEFAULT now()
                )""",
                "CREATE INDEX tria_ready_results_series ON tria_ready_results (playbook, target, started)"
            },
            new String[] {
                """
                CREATE TABLE tria_ready_fixes (
                    id        text PRIMARY KEY,
                    finished  timestamptz NOT NULL,
                    playbook  text NOT NULL,
                    target    text NOT NULL,
                    fix       text NOT NULL,
                    status    text NOT NULL,
                    operator  text NOT NULL,
                    message   text,
                    record    jsonb NOT NULL
                )""",
                "CREATE INDEX tria_ready_fixes_series ON tria_ready_fixes (playbook, target, finished)"
            },
            new String[] {
                // the run's scope (its filters), so history compares like with like; earlier runs get theirs from the stored result
                "ALTER TABLE tria_ready_results ADD COLUMN scope text",
                "UPDATE tria_ready_results SET scope = array_to_string(ARRAY(SELECT jsonb_array_elements_text(result->'filters')), '; ')"
                        + " WHERE jsonb_typeof(result->'filters') = 'array'"
            });
    /** Any constant: serializes migrations between tria-ready processes on the same database. */
    private static final long MIGRATION_LOCK = 0x7472696152647931L;
    private static final String UNIQUE_VIOLATION = "23505";

    private final String url;
    private final Properties properties;
    private final Secrets secrets;
    private boolean migrated;

    /**
     * @param url a jdbc:postgresql: URL, already interpolated (it may hold a password: it is never shown unmasked)
     * @param properties connection properties (user, password...)
     * @param secrets every secret in the URL or properties, to mask messages
     */
    public PostgresStore(String url, Properties properties, Secrets secrets) {
        this.url = url;
        this.properties = new Properties();
        this.properties.putAll(properties);
        this.properties.putIfAbsent("connectTimeout", "5");
        this.properties.putIfAbsent("loginTimeout", "5");
        this.properties.putIfAbsent("socketTimeout", "30");
        this.properties.putIfAbsent("ApplicationName", "tria-ready");
        this.secrets = secrets;
    }

    @Override
    public String location() { return secrets.mask(url); }

    /** The schema version the database is at (0: never migrated). */
    public int schemaVersion() throws StoreException {
        try (Connection c = connect()) {
            return currentVersion(c);
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    public HistoryEntry save(RunResult result, String json) throws StoreException {
        try (Connection c = connect()) {
            for (int attempt = 1; ; attempt++) {
                String id = Ids.next(result.started());
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO tria_ready_results (id, started, playbook, target, score, verdict, interrupted, result, scope)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
                    ps.setString(1, id);
                    ps.setTimestamp(2, Timestamp.from(result.started()));
                    ps.setString(3, result.playbookId());
                    ps.setString(4, result.target());
                    if (result.score().value() == null) ps.setNull(5, java.sql.Types.DOUBLE); else ps.setDouble(5, result.score().value());
                    ps.setString(6, result.verdict().name());
                    ps.setBoolean(7, result.interrupted());
                    ps.setString(8, json);
                    ps.setString(9, result.scope());
                    ps.executeUpdate();
                    return HistoryEntry.of(id, result);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt >= 5) throw e;
                    // another run took this id in the same second: draw again
                }
            }
        } catch (SQLException e) {
            throw failure("cannot record in", e);
        }
    }

    @Override
    public List<HistoryEntry> entries(String playbook, String target, int limit) throws StoreException {
        StringBuilder sql = new StringBuilder("SELECT id, started, playbook, target, score, verdict, interrupted, scope FROM tria_ready_results WHERE true");
        List<String> params = new ArrayList<>();
        if (playbook != null) { sql.append(" AND playbook = ?"); params.add(playbook); }
        if (target != null) { sql.append(" AND target = ?"); params.add(target); }
        sql.append(" ORDER BY started DESC, id DESC");
        if (limit > 0) sql.append(" LIMIT ").append(limit);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setString(i + 1, params.get(i));
            List<HistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double score = rs.getDouble(5);
                    out.add(new HistoryEntry(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.wasNull() ? null : score, Verdict.valueOf(rs.getString(6)), rs.getBoolean(7), rs.getString(8)));
                }
            }
            Collections.reverse(out);
            return out;
        } catch (SQLException | IllegalArgumentException e) {
            throw failure("cannot read history in", e);
        }
    }

    @Override
    public RunResult load(String id) throws StoreException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT result::text FROM tria_ready_results WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new StoreException("no run '" + id + "' in history " + location());
                return ResultJson.read(new StringReader(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw failure("cannot read run " + id + " from", e);
        } catch (IOException e) {
            throw new StoreException("run " + id + " in " + location() + ": " + StoreException.oneLine(e));
        }
    }

    /** One connection and one query for all of them (history loads up to --limit results per series). */
    @Override
    public List<Stored> loadAll(List<String> ids) throws StoreException {
        java.util.Map<String, String> json = new java.util.HashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT id, result::text FROM tria_ready_results WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) json.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw failure("cannot read history in", e);
        }
        List<Stored> out = new ArrayList<>();
        for (String id : ids) {
            String text = json.get(id);
            if (text == null) {
                out.add(new Stored(id, null, "no run '" + id + "' in history " + location()));
                continue;
            }
            try {
                out.add(new Stored(id, ResultJson.read(new StringReader(text)), null));
            } catch (IOException e) {
                out.add(new Stored(id, null, "run " + id + " in " + location() + ": " + StoreException.oneLine(e)));
            }
        }
        return out;
    }

    private StoreException failure(String what, Exception e) {
        return new StoreException(what + " " + location() + ": " + secrets.mask(StoreException.oneLine(e)), e);
    }

    private Connection connect() throws SQLException, StoreException {
        Connection c = new org.postgresql.Driver().connect(url, properties);
        if (c == null) throw new StoreException("not a PostgreSQL URL: " + location());
        if (!migrated) {
            try {
                migrate(c);
            } catch (SQLException | StoreException e) {
                c.close();
                throw e;
            }
            migrated = true;
        }
        return c;
    }

    /** Brings the schema to the latest version, one transaction, under an advisory lock. */
    private static void migrate(Connection c) throws SQLException, StoreException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS tria_ready_schema_version (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())");
            int current = currentVersion(c);
            if (current > MIGRATIONS.size()) {
                c.rollback();
                throw new StoreException("the history database is at schema version " + current + ", newer than this tria-ready knows ("
                        + MIGRATIONS.size() + "): upgrade tria-ready");
            }
            for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                for (String ddl : MIGRATIONS.get(v - 1)) s.execute(ddl);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tria_ready_schema_version (version) VALUES (?)")) {
                    ps.setInt(1, v);
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM tria_ready_schema_version")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // no version table yet
            throw e;
        }
    }

    @Override
    public void saveFix(FixRecord fix, String json) throws StoreException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tria_ready_fixes (id, finished, playbook, target, fix, status, operator, message, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            ps.setString(1, fix.id());
            ps.setTimestamp(2, Timestamp.from(fix.finished()));
            ps.setString(3, fix.playbook());
            ps.setString(4, fix.target());
            ps.setString(5, fix.fix());
            ps.setString(6, fix.status());
            ps.setString(7, fix.operator());
            ps.setString(8, fix.message());
            ps.setString(9, json);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot record the fix in", e);
        }
    }

    @Override
    public List<FixRecord> fixes(String playbook, String target, java.time.Instant since) throws StoreException {
        StringBuilder sql = new StringBuilder("SELECT id, finished, playbook, target, fix, status, operator, message FROM tria_ready_fixes WHERE true");
        List<Object> params = new ArrayList<>();
        if (playbook != null) { sql.append(" AND playbook = ?"); params.add(playbook); }
        if (target != null) { sql.append(" AND target = ?"); params.add(target); }
        if (since != null) { sql.append(" AND finished > ?"); params.add(Timestamp.from(since)); }
        sql.append(" ORDER BY finished, id");
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<FixRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FixRecord(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("cannot read fixes in", e);
        }
    }
}
