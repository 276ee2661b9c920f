package io.triaready.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.core.engine.RunResult;
import io.triaready.core.result.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-20T14:02:00.123456Z");
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = new TestDatabase();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        db.close();
    }

    private HistoryStore store() {
        return StoreSpec.resolve(db.url(), Map.<String, String>of()::get).open();
    }

    @Test
    void createsItsSchemaOnFirstUseAndRecordsEveryMigration() throws Exception {
        HistoryStore store = store();
        assertThat(store).isInstanceOf(PostgresStore.class);
        assertThat(store.entries(null, null, 0)).isEmpty();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT version FROM tria_ready_schema_version ORDER BY version");
            for (int v = 1; v <= PostgresStore.MIGRATIONS.size(); v++) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(v);
            }
            assertThat(rs.next()).isFalse();
            rs = s.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = 'tria_ready_results' AND column_name = 'result'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("jsonb");
        }
        // a second tool on the same database finds it migrated and adds nothing
        assertThat(((PostgresStore) store()).schemaVersion()).isEqualTo(PostgresStore.MIGRATIONS.size());
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM tria_ready_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(PostgresStore.MIGRATIONS.size());
        }
    }

    @Test
    void fixesAreRecordedAndListedByPlaybookTargetAndTime() throws Exception {
        HistoryStore store = store();
        java.time.Instant t0 = java.time.Instant.parse("2026-11-21T10:00:00Z");
        store.saveFix(new FixRecord("f1", t0, "pb", "prod", "chromadb", "FIXED", "alice@laptop", "chromadb-connected passes now"), "{\"fix\": \"chromadb\"}");
        store.saveFix(new FixRecord("f2", t0.plusSeconds(60), "pb", "staging", "cron", "FIX_ERROR", "bob@ci", "step 1 failed"), "{}");
        store.saveFix(new FixRecord("f3", t0.plusSeconds(120), "pb", "prod", "cron", "STILL_FAILING", "alice@laptop", "x"), "{}");
        assertThat(store().fixes("pb", "prod", null)).extracting(FixRecord::id).containsExactly("f1", "f3");
        assertThat(store().fixes("pb", "prod", t0)).extracting(FixRecord::fix).containsExactly("cron");
        assertThat(store().fixes(null, null, null)).hasSize(3);
    }

    @Test
    void recordsListsFiltersAndLoadsBackTheFullResult() throws Exception {
        HistoryStore store = store();
        RunResult first = Fixtures.result("aibpo", "prod", T0, "p0-db", Outcome.FAIL, "metrics", Outcome.PASS);
        RunResult second = Fixtures.result("aibpo", "prod", T0.plusSeconds(3600), "p0-db", Outcome.PASS, "metrics", Outcome.PASS);
        RunResult other = Fixtures.interrupted("baseline", "staging", T0.plusSeconds(7200), "disk", Outcome.ERROR);
        HistoryEntry e1 = Fixtures.save(store, first);
        HistoryEntry e2 = Fixtures.save(store, second);
        HistoryEntry e3 = Fixtures.save(store, other);
        assertThat(store.entries(null, null, 0)).containsExactly(e1, e2, e3);
        assertThat(store.entries("aibpo", "prod", 0)).containsExactly(e1, e2);
        assertThat(store.entries(null, null, 2)).containsExactly(e2, e3);
        assertThat(store.entries("baseline", null, 0).get(0).interrupted()).isTrue();
        assertThat(Fixtures.json(store.load(e1.id()))).as("the result survives jsonb").isEqualTo(Fixtures.json(first));
        assertThat(store.resolve(e3.id().substring(0, 12))).isEqualTo(e3);
        List<HistoryStore.Stored> all = store.loadAll(List.of(e3.id(), "20250101-000000-0000", e1.id()));
        assertThat(all).extracting(HistoryStore.Stored::id).containsExactly(e3.id(), "20250101-000000-0000", e1.id());
        assertThat(Fixtures.json(all.get(0).result())).isEqualTo(Fixtures.json(other));
        assertThat(all.get(1).result()).isNull();
        assertThat(all.get(1).problem()).contains("no run '20250101-000000-0000'");
        assertThat(Fixtures.json(all.get(2).result())).isEqualTo(Fixtures.json(first));
        assertThatThrownBy(() -> store.load("20250101-000000-0000")).isInstanceOf(StoreException.class).hasMessageContaining("no run '20250101-000000-0000'");
    }

    @Test
    void concurrentFirstUsesMigrateOnceAndLoseNothing() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<HistoryEntry>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String target = "t" + t;
                futures.add(pool.submit(() -> {
                    HistoryStore store = store(); // each its own tool: each tries to migrate
                    List<HistoryEntry> out = new ArrayList<>();
                    for (int i = 0; i < 5; i++) out.add(Fixtures.save(store, Fixtures.result("pb", target, T0, "c", Outcome.PASS)));
                    return out;
                }));
            }
            HashSet<HistoryEntry> saved = new HashSet<>();
            for (Future<List<HistoryEntry>> f : futures) saved.addAll(f.get(60, TimeUnit.SECONDS));
            assertThat(saved).hasSize(threads * 5);
            assertThat(new HashSet<>(store().entries(null, null, 0))).isEqualTo(saved);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM tria_ready_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(PostgresStore.MIGRATIONS.size());
        }
    }

    @Test
    void aDatabaseFromANewerToolIsRefusedNotDamaged() throws Exception {
        store().entries(null, null, 0);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO tria_ready_schema_version (version) VALUES (99)");
        }
        assertThatThrownBy(() -> store().entries(null, null, 0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99, newer than this tria-ready knows (" + PostgresStore.MIGRATIONS.size() + "): upgrade tria-ready");
    }

    @Test
    void theStorePasswordComesFromTheEnvironmentAndIsNeverShown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = Map.of("PG_PW", "s3cr3t-Passw0rd", "TRIA_READY_STORE_PASSWORD", "0ther-s3cret");
        StoreSpec inUrl = StoreSpec.resolve("jdbc:postgresql://127.0.0.1:" + closedPort + "/x?user=u&password=${env:PG_PW}", env::get);
        assertThat(inUrl.display()).doesNotContain("s3cr3t-Passw0rd").contains("password=******");
        assertThat(inUrl.toString()).doesNotContain("s3cr3t-Passw0rd");
        assertThatThrownBy(() -> inUrl.open().entries(null, null, 0)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-Passw0rd").contains("127.0.0.1:" + closedPort).doesNotContain("\n"));

        StoreSpec fromEnv = StoreSpec.resolve("jdbc:postgresql://127.0.0.1:5432/" + db.name + "?user=postgres", env::get);
        assertThat(((StoreSpec.Postgres) fromEnv).properties().getProperty("password")).isEqualTo("0ther-s3cret");
        assertThat(fromEnv.display()).doesNotContain("0ther-s3cret");
        // trust auth ignores the password: the store works with it
        Fixtures.save(fromEnv.open(), Fixtures.result("pb", "t", T0, "c", Outcome.PASS));
        assertThat(store().entries(null, null, 0)).hasSize(1);
        // a password in the URL wins over the environment's
        assertThat(((StoreSpec.Postgres) inUrl).properties()).isEqualTo(new Properties());
        assertThat(new Secrets().mask(inUrl.display())).isEqualTo(inUrl.display());
    }
}
