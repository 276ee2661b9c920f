package io.triaready.checks.sql;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.expectation;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.core.expect.Expectation;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An adversarial list of "read-only" queries with side effects, run as a superuser and as a read-only
 * role against the real PostgreSQL on 127.0.0.1:5432, in a database and with roles of its own. Each
 * must be refused with a reason (or, for the few that pass the screen, be harmless), and afterwards
 * nothing outside the checks' rolled-back transactions has changed: no marker file from a program or a
 * file write, the victim session still running its query, the configuration not reloaded, the session's
 * settings as before, no advisory lock held, the sequence where it was, no large object, no replication
 * slot, no notification delivered, the statistics not reset, the table's rows as before.
 *
 * <p>Both roles have {@code standard_conforming_strings = off} as their default, as a hostile database
 * could set it: a quote trick that the screen reads as one string then stays one string on the server.
 * And their {@code search_path} puts a schema ahead of pg_catalog that shadows {@code now()} and
 * {@code +}: the checks still get the built-ins.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SqlSideEffectTest {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final SqlCheckType SQL = new SqlCheckType();
    static final String REFUSED = "refused: ";

    static String suffix;
    static String db;
    static String url;
    static String superRole;
    static String readRole;
    static String signalRole;
    static String slot;
    static String channel;
    static Path markers;

    @BeforeAll
    static void setUp() throws Exception {
        suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        db = "tria_w16_" + suffix;
        superRole = "tria_su_" + suffix;
        readRole = "tria_ro_" + suffix;
        signalRole = "tria_sig_" + suffix;
        slot = "tria_slot_" + suffix;
        channel = "tria_chan_" + suffix;
        markers = Path.of("/tmp", "tria_w16_marker_" + suffix);
        try (Connection c = admin(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
            s.execute("CREATE ROLE " + superRole + " LOGIN SUPERUSER");
            s.execute("CREATE ROLE " + readRole + " LOGIN IN ROLE pg_read_all_data, pg_monitor");
            s.execute("CREATE ROLE " + signalRole + " LOGIN IN ROLE pg_signal_backend");
            for (String r : List.of(superRole, readRole)) {
                s.execute("ALTER ROLE " + r + " SET standard_conforming_strings = off");
                s.execute("ALTER ROLE " + r + " SET search_path = evil, pg_catalog, public");
            }
        }
        url = "jdbc:postgresql://127.0.0.1:5432/" + db;
        try (Connection c = admin(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO products VALUES (1, 'Pizza box'), (2, 'Napkins'), (3, 'Straws')");
            s.execute("CREATE SEQUENCE seq");
            s.execute("SELECT nextval('seq')");
            s.execute("CREATE PROCEDURE bump() LANGUAGE sql AS $$ INSERT INTO products VALUES (96, 'bumped') $$");
            // what the screen cannot see: a function defined on the target that takes advisory locks
            // (declared STABLE, so the VOLATILE look-up lets it through), and one declared VOLATILE
            s.execute("CREATE FUNCTION sneaky_lock() RETURNS int STABLE LANGUAGE sql AS"
                    + " $$ SELECT pg_advisory_lock(4242); SELECT pg_advisory_lock_shared(4244); SELECT pg_advisory_xact_lock(4243); SELECT 1 $$");
            s.execute("CREATE FUNCTION noisy() RETURNS int VOLATILE LANGUAGE sql AS $$ SELECT pg_notify('" + channel + "', 'noisy'); SELECT 1 $$");
            // a schema ahead of pg_catalog in the roles' search_path, shadowing a built-in function and operator
            s.execute("CREATE SCHEMA evil");
            s.execute("GRANT USAGE ON SCHEMA evil TO PUBLIC");
            s.execute("CREATE FUNCTION evil.now() RETURNS timestamptz STABLE LANGUAGE sql AS $$ SELECT '1999-01-01'::timestamptz $$");
            s.execute("CREATE FUNCTION evil.minus(int, int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT $1 - $2 $$");
            s.execute("CREATE OPERATOR evil.+ (LEFTARG = int, RIGHTARG = int, FUNCTION = evil.minus)");
            if (scalar(c, "SELECT count(*) FROM pg_available_extensions WHERE name = 'dblink'") > 0) s.execute("CREATE EXTENSION dblink");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (db == null) return;
        try (Connection c = admin(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
            for (String r : List.of(superRole, readRole, signalRole)) s.execute("DROP ROLE IF EXISTS " + r);
        }
        for (String m : List.of("prog", "copy", "lo")) Files.deleteIfExists(Path.of(markers + "_" + m));
    }

    static Connection admin(String jdbc) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "5");
        Connection c = new org.postgresql.Driver().connect(jdbc, p);
        assertThat(c).as("PostgreSQL on 127.0.0.1:5432 (trust auth for user postgres)").isNotNull();
        return c;
    }

    static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** One adversarial statement and what must come of it: an ERROR containing one of {@code errors} ("|"-separated), or PASS when null. */
    record Attack(String sql, String errors) {}

    /** The list, for a victim backend {@code pid}. At least 40 entries; each group of the issue is covered. */
    static List<Attack> attacks(int pid) {
        String m = markers.toString();
        List<Attack> a = new ArrayList<>();
        // programs and files
        a.add(new Attack("COPY (SELECT 1) TO PROGRAM 'touch " + m + "_prog'", "refused: COPY reads or writes files and runs programs"));
        a.add(new Attack("copy products to program 'touch " + m + "_prog'", "refused: COPY"));
        a.add(new Attack("COPY products TO '" + m + "_copy'", "refused: COPY"));
        a.add(new Attack("COPY products FROM '/etc/hostname'", "refused: COPY"));
        a.add(new Attack("  (  COPY products TO STDOUT)", "refused: COPY"));
        a.add(new Attack("SELECT lo_export(lo_from_bytea(0, 'x'), '" + m + "_lo')", "refused: lo_export writes or changes files on the database server"));
        a.add(new Attack("SELECT lo_import('/etc/hostname')", "refused: lo_import reads files on the database server"));
        a.add(new Attack("SELECT lo_create(0)", "refused: lo_create opens, creates or changes large objects"));
        a.add(new Attack("SELECT pg_read_file('/etc/hostname')", "refused: pg_read_file reads files"));
        a.add(new Attack("SELECT * FROM pg_ls_dir('.')", "refused: pg_ls_dir reads files"));
        a.add(new Attack("SELECT pg_read_binary_file('postgresql.conf')", "refused: pg_read_binary_file"));
        // signalling other sessions, in every disguise
        a.add(new Attack("SELECT pg_terminate_backend(" + pid + ")", "refused: pg_terminate_backend signals other sessions (ends or cancels them); an audit never changes a target"));
        a.add(new Attack("SELECT pg_cancel_backend(" + pid + ")", "refused: pg_cancel_backend signals other sessions"));
        a.add(new Attack("SELECT PG_TERMINATE_BACKEND(" + pid + ")", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT \"pg_terminate_backend\"(" + pid + ")", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT pg_catalog.pg_cancel_backend(" + pid + ")", "refused: pg_cancel_backend"));
        a.add(new Attack("SELECT \"pg_catalog\".\"pg_terminate_backend\"(" + pid + ")", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT pg_catalog . pg_terminate_backend /* a gap */ (" + pid + ")", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT pg_terminate_backend -- a comment\n(" + pid + ")", "refused: pg_terminate_backend"));
        a.add(new Attack("WITH x AS (SELECT pg_terminate_backend(" + pid + ")) SELECT 1", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT (SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = " + pid + ")", "refused: pg_cancel_backend"));
        a.add(new Attack("SELECT 1 WHERE pg_terminate_backend(('" + pid + "')::int)", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT pg_terminate_backend(" + pid + ")::text AS x", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT $$ $$, pg_terminate_backend(" + pid + "), $$ $$", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT $a$ $$ $a$, pg_cancel_backend(" + pid + ")", "refused: pg_cancel_backend"));
        a.add(new Attack("SELECT E'\\'', pg_terminate_backend(" + pid + ") --'", "refused: pg_terminate_backend"));
        a.add(new Attack("SELECT U&\"pg\\005fterminate_backend\"(" + pid + ")", "refused: a U&\"...\" identifier"));
        a.add(new Attack("SELECT 1; SELECT pg_terminate_backend(" + pid + ")", "refused: the query holds more than one statement"));
        // the screen and the server must read quotes alike: with standard_conforming_strings off (the
        // roles' default here) the server would end this string early and run the call
        a.add(new Attack("SELECT 'a\\'', pg_terminate_backend(" + pid + ") --' AS just_text", null));
        a.add(new Attack("SELECT count(*) FROM products WHERE name = 'pg_terminate_backend(" + pid + ")' -- pg_cancel_backend(1)", null));
        a.add(new Attack("SELECT $$pg_cancel_backend(" + pid + ")$$ AS just_text", null));
        // SQL given as text to a function that runs it
        a.add(new Attack("SELECT query_to_xml('SELECT pg_terminate_backend(" + pid + ")', true, false, '')", "refused: query_to_xml runs SQL given as text"));
        a.add(new Attack("SELECT * FROM ts_stat('SELECT to_tsvector(pg_cancel_backend(" + pid + ")::text)')", "refused: ts_stat"));
        // configuration
        a.add(new Attack("SELECT pg_reload_conf()", "refused: pg_reload_conf signals the server"));
        a.add(new Attack("SELECT set_config('work_mem', '1MB', false)", "refused: set_config changes server settings"));
        a.add(new Attack("SET work_mem = '1MB'", "refused: SET changes the session's settings"));
        a.add(new Attack("SET SESSION default_transaction_read_only = off", "refused: SET"));
        a.add(new Attack("RESET ALL", "refused: RESET"));
        a.add(new Attack("ALTER SYSTEM SET work_mem = '1MB'", "refused: ALTER changes the database"));
        // locks
        a.add(new Attack("SELECT pg_advisory_lock(4242)", "refused: pg_advisory_lock takes or releases advisory locks"));
        a.add(new Attack("SELECT pg_try_advisory_lock(4242)", "refused: pg_try_advisory_lock"));
        a.add(new Attack("SELECT pg_advisory_xact_lock(4242)", "refused: pg_advisory_xact_lock"));
        a.add(new Attack("select Pg_Advisory_Lock_Shared(4242)", "refused: pg_advisory_lock_shared"));
        a.add(new Attack("LOCK TABLE products IN ACCESS EXCLUSIVE MODE", "refused: LOCK holds locks"));
        a.add(new Attack("SELECT * FROM products FOR UPDATE", "refused: FOR UPDATE locks rows"));
        a.add(new Attack("SELECT * FROM products FOR SHARE", "refused: FOR SHARE locks rows"));
        // notifications
        a.add(new Attack("NOTIFY " + channel, "refused: NOTIFY talks to other sessions"));
        a.add(new Attack("SELECT pg_notify('" + channel + "', 'x')", "refused: pg_notify sends a notification"));
        a.add(new Attack("LISTEN " + channel, "refused: LISTEN"));
        // sequences
        a.add(new Attack("SELECT nextval('seq')", "refused: nextval advances a sequence"));
        a.add(new Attack("SELECT setval('seq', 99)", "refused: setval"));
        // another connection: dblink (installed in this database when available)
        a.add(new Attack("SELECT dblink_exec('dbname=" + db + " user=postgres', 'INSERT INTO products VALUES (99, ''x'')')",
                "refused: dblink_exec runs SQL on another connection"));
        a.add(new Attack("SELECT * FROM dblink('dbname=" + db + " user=postgres', 'INSERT INTO products VALUES (98, ''y'') RETURNING id') AS t(id int)",
                "refused: dblink runs SQL on another connection"));
        // code: procedures, DO, functions defined on the target
        a.add(new Attack("CALL bump()", "refused: CALL runs a procedure"));
        a.add(new Attack("DO $$BEGIN PERFORM pg_advisory_lock(4242); END$$", "refused: DO runs code"));
        a.add(new Attack("SELECT noisy()", "refused: public.noisy() is a VOLATILE function defined on the target"));
        a.add(new Attack("SELECT sneaky_lock()", null)); // runs: its locks must not outlive the check (asserted below)
        // transactions, prepared statements, cursors
        a.add(new Attack("PREPARE TRANSACTION 'tria_x'", "refused: PREPARE"));
        a.add(new Attack("COMMIT", "refused: COMMIT would let a check step out"));
        a.add(new Attack("BEGIN", "refused: BEGIN"));
        a.add(new Attack("PREPARE p AS SELECT pg_sleep(0)", "refused: PREPARE runs a statement this screen cannot see"));
        a.add(new Attack("DECLARE c CURSOR WITH HOLD FOR SELECT 1", "refused: DECLARE opens or moves a cursor"));
        // replication, WAL, statistics
        a.add(new Attack("SELECT pg_create_physical_replication_slot('" + slot + "')", "refused: pg_create_physical_replication_slot"));
        a.add(new Attack("SELECT pg_stat_reset()", "refused: pg_stat_reset resets or overwrites the server's statistics"));
        a.add(new Attack("SELECT txid_current()", "refused: txid_current assigns a transaction id"));
        // writes: the screen, or else the read-only transaction
        a.add(new Attack("INSERT INTO products VALUES (97, 'z')", "refused: INSERT writes data"));
        a.add(new Attack("WITH gone AS (DELETE FROM products RETURNING id) SELECT count(*) FROM gone", "refused: a DELETE inside the statement writes data"));
        a.add(new Attack("SELECT * INTO tria_new FROM products", "read-only transaction"));
        a.add(new Attack("EXPLAIN ANALYZE SELECT pg_sleep(0)", "refused: EXPLAIN ANALYZE runs the statement"));
        a.add(new Attack("EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1", "refused: EXPLAIN ANALYZE"));
        a.add(new Attack("EXPLAIN DELETE FROM products", "refused: EXPLAIN of DELETE"));
        // what only reads still runs
        a.add(new Attack("EXPLAIN (FORMAT JSON) SELECT * FROM products", null));
        a.add(new Attack("TABLE products", null));
        a.add(new Attack("VALUES (1), (2)", null));
        a.add(new Attack("SHOW work_mem", null));
        a.add(new Attack("(SELECT count(*) FROM pg_stat_activity)", null));
        return a;
    }

    static Target as(String role) {
        return target(Map.of("postgres", Map.of("url", url, "user", role)));
    }

    static final String SETTINGS = "SELECT md5(string_agg(name || '=' || setting, ',' ORDER BY name)) FROM pg_settings"
            + " WHERE name NOT IN ('statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'standard_conforming_strings')";

    @Test
    void nothingChangesAsASuperuser() throws Exception {
        attackAs(superRole, "is a superuser");
    }

    @Test
    void nothingChangesAsAReadOnlyRole() throws Exception {
        attackAs(readRole, null);
    }

    @Test
    void aRoleThatCanSignalIsWarnedAboutOnce() throws Exception {
        try (Session session = new Session()) {
            int noted = 0;
            for (int i = 1; i <= 3; i++) {
                Run r = run(SQL, "\"SELECT " + i + "\"", "{equals: " + i + "}", context(Duration.ofSeconds(10), as(signalRole), session, new Secrets()));
                assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
                noted += (int) r.facts().notes().stream().filter(n -> n.startsWith("warning: ") && n.contains("holds pg_signal_backend")).count();
            }
            assertThat(noted).as("results noting the role's powers").isEqualTo(1);
            assertThat(session.warnings()).singleElement().asString()
                    .contains("the postgres endpoint's role '" + signalRole + "' holds pg_signal_backend")
                    .contains("pg_read_all_data and pg_monitor");
        }
    }

    private void attackAs(String role, String warning) throws Exception {
        Expectation anything = expectation(SQL, "{row_count: {gte: 0}}");
        try (Connection adm = admin(url); Connection victim = admin(url + "?ApplicationName=tria-victim-" + suffix);
             Connection listener = admin(url)) {
            int pid = (int) scalar(victim, "SELECT pg_backend_pid()");
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + channel);
            }
            // the victim runs a long query the whole time (pg_cancel_backend would end it)
            Thread sleeper = new Thread(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT pg_sleep(60)");
                } catch (Exception ignored) {
                    // cancelled at the end of the test
                }
            });
            sleeper.start();
            long active = 0;
            for (int i = 0; i < 100 && active == 0; i++) {
                active = scalar(adm, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid + " AND state = 'active'");
                if (active == 0) Thread.sleep(20);
            }
            assertThat(active).as("the victim's query is running").isEqualTo(1);

            String confLoaded = text(adm, "SELECT pg_conf_load_time()::text");
            String statsReset = text(adm, "SELECT coalesce(stats_reset::text, 'never') FROM pg_stat_database WHERE datname = current_database()");
            long largeObjects = scalar(adm, "SELECT count(*) FROM pg_largeobject_metadata");

            try (Session session = new Session()) {
                Run settingsBefore = run(SQL, "\"" + SETTINGS + "\"", "{row_count: 1}", context(Duration.ofSeconds(10), as(role), session, new Secrets()));
                assertThat(settingsBefore.outcome()).as(settingsBefore.toString()).isEqualTo(Outcome.PASS);

                List<Attack> list = attacks(pid);
                assertThat(list).hasSizeGreaterThanOrEqualTo(40);
                List<String> wrong = new ArrayList<>();
                int warned = 0;
                for (Attack a : list) {
                    var probe = new SqlCheckType.SqlProbe(a.sql(), null, Map.of(), null, 10);
                    Run r = run(probe, anything, context(Duration.ofSeconds(10), as(role), session, new Secrets()));
                    if (r.facts() != null && r.facts().notes().stream().anyMatch(n -> n.startsWith("warning: "))) warned++;
                    if (a.errors() == null) {
                        if (r.outcome() != Outcome.PASS) wrong.add(a.sql() + " -> " + r);
                    } else if (r.outcome() != Outcome.ERROR || java.util.Arrays.stream(a.errors().split("\\|")).noneMatch(r.error()::contains)) {
                        wrong.add(a.sql() + " -> " + r + " (expected an ERROR with: " + a.errors() + ")");
                    }
                }
                assertThat(wrong).as("statements with the wrong outcome").isEmpty();

                // the check's session, still open: no advisory lock outlives the check that took it
                assertThat(scalar(adm, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                        + "(SELECT oid FROM pg_database WHERE datname = current_database())")).as("advisory locks held").isZero();
                assertThat(text(adm, "SELECT pg_try_advisory_lock(4242)::text")).isEqualTo("true");
                assertThat(text(adm, "SELECT pg_advisory_unlock(4242)::text")).isEqualTo("true");

                Run builtins = run(SQL, "\"SELECT now() > '2020-01-01' AND 1 + 1 = 2\"", "{equals: true}",
                        context(Duration.ofSeconds(10), as(role), session, new Secrets()));
                assertThat(builtins.outcome()).as("built-ins are not shadowed: " + builtins).isEqualTo(Outcome.PASS);

                Run settingsAfter = run(SQL, "\"" + SETTINGS + "\"", "{row_count: 1}", context(Duration.ofSeconds(10), as(role), session, new Secrets()));
                assertThat(settingsAfter.fact("value")).as("the session's settings").isEqualTo(settingsBefore.fact("value"));

                if (warning != null) {
                    assertThat(session.warnings()).singleElement().asString().contains("role '" + role + "' " + warning);
                    for (Run r : List.of(settingsBefore, builtins, settingsAfter)) {
                        if (r.facts().notes().stream().anyMatch(n -> n.startsWith("warning: "))) warned++;
                    }
                    assertThat(warned).as("results noting the role's powers").isEqualTo(1);
                } else {
                    assertThat(session.warnings()).isEmpty();
                    for (Run r : List.of(settingsBefore, builtins, settingsAfter)) assertThat(r.facts().notes()).noneMatch(n -> n.startsWith("warning: "));
                    assertThat(warned).isZero();
                }
            }

            for (String mk : List.of("prog", "copy", "lo")) assertThat(Path.of(markers + "_" + mk)).as("marker file " + mk).doesNotExist();
            assertThat(scalar(adm, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid + " AND state = 'active'"))
                    .as("the victim's query is still running").isEqualTo(1);
            assertThat(text(adm, "SELECT pg_conf_load_time()::text")).as("configuration not reloaded").isEqualTo(confLoaded);
            assertThat(text(adm, "SELECT coalesce(stats_reset::text, 'never') FROM pg_stat_database WHERE datname = current_database()"))
                    .as("statistics not reset").isEqualTo(statsReset);
            assertThat(scalar(adm, "SELECT count(*) FROM pg_largeobject_metadata")).as("large objects").isEqualTo(largeObjects);
            assertThat(scalar(adm, "SELECT last_value FROM seq")).as("the sequence").isEqualTo(1);
            assertThat(scalar(adm, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'")).isZero();
            assertThat(scalar(adm, "SELECT count(*) FROM products")).isEqualTo(3);
            assertThat(scalar(adm, "SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'tria_x'")).isZero();
            assertThat(scalar(adm, "SELECT count(*) FROM pg_class WHERE relname = 'tria_new'")).isZero();
            scalar(listener, "SELECT 1"); // delivers any pending notification
            org.postgresql.PGNotification[] heard = listener.unwrap(org.postgresql.PGConnection.class).getNotifications();
            assertThat(heard == null ? 0 : heard.length).as("notifications heard").isZero();

            try (Statement s = adm.createStatement()) {
                s.execute("SELECT pg_cancel_backend(" + pid + ")");
            }
            sleeper.join(10_000);
        }
    }
}
