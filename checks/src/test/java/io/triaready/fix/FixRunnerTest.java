package io.triaready.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.Outcome;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixes against real local commands and the real PostgreSQL on 127.0.0.1:5432. */
class FixRunnerTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DB = "tria_fix_test_" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + DB);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("PostgreSQL is needed on 127.0.0.1:5432 (trust auth): start it with "
                    + "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' (" + e.getMessage() + ")", e);
        }
        try (Connection c = DriverManager.getConnection(PG + DB, "postgres", "")) {
            c.createStatement().execute("CREATE TABLE products (id int primary key, name text, embedding text)");
            c.createStatement().execute("INSERT INTO products VALUES (1, 'a', NULL), (2, 'b', 'vec')");
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private Playbook playbook(String yaml, Target target) {
        return new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("playbook: fx\nvars: {dir: '" + dir + "'}\n" + yaml), "fx.yaml",
                new PlaybookLoader.Options(target, Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
    }

    private FixRunner.Options options() {
        return new FixRunner.Options(false, 1, dir.resolve("fix.lock").toString(), "tester@test", java.time.Duration.ofSeconds(5));
    }

    private static FixResult run(Playbook pb, String fix, Target target, FixRunner.Options options, FixListener listener) {
        return new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "test").run(pb, pb.fix(fix).orElseThrow(), target, options, plan -> true, listener);
    }

    private static final String UNIT_FIX = """
            checks:
              - id: auto-restart
                phase: p0
                file: ${dir}/unit.service
                expect: {matches: ['^Restart=always$']}
                fix: auto-restart
            fixes:
              - id: auto-restart
                steps:
                  - run: "echo Restart=always >> ${dir}/unit.service"
            """;

    @Test
    void aFixsSessionIsNeverReadOnly() throws Exception {
        // its steps and its host lock change the target: they must never be queued on a busy channel nor run again
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        List<Boolean> seen = Collections.synchronizedList(new ArrayList<>());
        HostConnectors recording = new HostConnectors(List.of(new io.triaready.spi.HostConnector() {
            @Override
            public String transport() { return "local"; }

            @Override
            public io.triaready.spi.HostTransport connect(HostSpec host, io.triaready.spi.Session session, java.time.Duration timeout) {
                seen.add(session.readOnly());
                return io.triaready.transport.local.LocalHost.INSTANCE;
            }
        }));
        Playbook pb = playbook(UNIT_FIX, Target.local());
        FixResult r = new FixRunner(recording, new Secrets(), "test").run(pb, pb.fix("auto-restart").orElseThrow(), Target.local(), options(),
                plan -> true, FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.FIXED);
        assertThat(seen).isNotEmpty().containsOnly(false);
    }

    @Test
    void aFixThatEditsAUnitFileMakesTheCheckPass() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        FixResult r = run(playbook(UNIT_FIX, Target.local()), "auto-restart", Target.local(), options(), FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.FIXED);
        assertThat(r.before()).containsEntry("auto-restart", Outcome.FAIL);
        assertThat(r.after()).containsEntry("auto-restart", Outcome.PASS);
        assertThat(Files.readString(dir.resolve("unit.service"))).contains("Restart=always");
        assertThat(dir.resolve("fix.lock/fix.auto-restart")).as("the lock is released").doesNotExist();
        // again: nothing to fix, nothing run
        FixResult again = run(playbook(UNIT_FIX, Target.local()), "auto-restart", Target.local(), options(), FixListener.NONE);
        assertThat(again.status()).isEqualTo(FixStatus.NOTHING_TO_FIX);
        assertThat(again.steps()).isEmpty();
        assertThat(Files.readString(dir.resolve("unit.service")).split("Restart=always", -1)).hasSize(2);
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        FixRunner.Options dry = new FixRunner.Options(true, 1, dir.resolve("fix.lock").toString(), "t", java.time.Duration.ofSeconds(5));
        FixResult r = run(playbook(UNIT_FIX, Target.local()), "auto-restart", Target.local(), dry, FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.DRY_RUN);
        assertThat(Files.readString(dir.resolve("unit.service"))).isEqualTo("[Service]\n");
    }

    @Test
    void aFailingStepStopsTheFixAndTheRollbackRuns() throws Exception {
        Playbook pb = playbook("""
                checks:
                  - {id: marker, phase: p0, file: '${dir}/done', fix: deploy}
                fixes:
                  - id: deploy
                    steps:
                      - run: "echo 1 >> ${dir}/ran"
                      - run: "echo boom >&2; exit 4"
                      - run: "touch ${dir}/done"
                    rollback:
                      - run: "echo rolled-back > ${dir}/rollback"
                """, Target.local());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        FixResult r = run(pb, "deploy", Target.local(), options(), new FixListener() {
            public void output(String host, String line) { lines.add(host + ": " + line); }
        });
        assertThat(r.status()).isEqualTo(FixStatus.FIX_ERROR);
        assertThat(r.message()).startsWith("step 2 (run: echo boom >&2; exit 4) failed on local: exit 4: boom").endsWith("rollback ran");
        assertThat(dir.resolve("done")).doesNotExist();
        assertThat(Files.readString(dir.resolve("rollback")).strip()).isEqualTo("rolled-back");
        assertThat(r.steps()).extracting(StepLog::ok).containsExactly(true, false, true);
        assertThat(r.steps().get(2).rollback()).isTrue();
        assertThat(lines).contains("local: boom");
        assertThat(r.after()).containsEntry("marker", Outcome.FAIL);
    }

    @Test
    void sqlStepsCommitOnlyWhenAllStatementsSucceed() throws Exception {
        Target db = new Target("db", List.of(), Map.of("postgres", Map.of("url", PG + DB, "user", "postgres")), Map.of());
        Playbook pb = playbook("""
                checks:
                  - {id: marker, phase: p0, tcp: '127.0.0.1:1', fix: bad}
                fixes:
                  - id: bad
                    steps:
                      - sql: ["UPDATE products SET embedding = 'x' WHERE embedding IS NULL", "INSERT INTO products VALUES (2, 'dup', 'y')"]
                  - id: good
                    verify: []
                    steps:
                      - sql: ["UPDATE products SET embedding = 'x' WHERE embedding IS NULL", "INSERT INTO products VALUES (3, 'c', 'z')"]
                """, db);
        FixResult bad = run(pb, "bad", db, options(), FixListener.NONE);
        assertThat(bad.status()).isEqualTo(FixStatus.FIX_ERROR);
        assertThat(bad.message()).contains("statement 2 failed").contains("duplicate key").contains("rolled back, nothing committed");
        assertThat(count("SELECT count(*) FROM products WHERE embedding IS NULL")).as("the first statement was rolled back").isEqualTo(1);
        FixResult good = run(pb, "good", db, options(), FixListener.NONE);
        assertThat(good.steps()).singleElement().satisfies(s -> assertThat(s.message()).isEqualTo("2 statement(s) committed, 2 row(s) changed"));
        assertThat(count("SELECT count(*) FROM products WHERE embedding IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM products")).isEqualTo(3);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + DB, "postgres", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aGroupStopsAtTheFirstHostThatFails() throws Exception {
        Target group = new Target("fleet", List.of(new HostSpec("h1", "local", Map.of()), new HostSpec("h2", "local", Map.of()),
                new HostSpec("h3", "local", Map.of())), Map.of(), Map.of());
        Playbook pb = playbook("""
                checks:
                  - {id: marker, phase: p0, file: '${dir}/never', fix: roll}
                fixes:
                  - id: roll
                    steps:
                      - run: "n=$(cat ${dir}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${dir}/n; echo host$n >> ${dir}/applied; [ $n -lt 2 ]"
                """, group);
        FixResult r = run(pb, "roll", group, options(), FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.FIX_ERROR);
        assertThat(Files.readAllLines(dir.resolve("applied"))).as("the third host is never touched").containsExactly("host1", "host2");
        assertThat(r.message()).contains("failed on h2").endsWith("not applied to h3");
    }

    @Test
    void aHeldLockNamesItsOwnerAndNothingRuns() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        Files.createDirectories(dir.resolve("fix.lock/fix.auto-restart"));
        Files.writeString(dir.resolve("fix.lock/fix.auto-restart/owner"), "alice@laptop (fix auto-restart) since 2026-11-21T10:00:00Z token=abc\n");
        FixResult r = run(playbook(UNIT_FIX, Target.local()), "auto-restart", Target.local(), options(), FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.LOCKED);
        assertThat(r.message()).contains("lock fix.auto-restart is held by alice@laptop (fix auto-restart) since 2026-11-21T10:00:00Z")
                .contains("tria-ready fix --clear-lock fix.auto-restart").doesNotContain("token");
        assertThat(Files.readString(dir.resolve("unit.service"))).isEqualTo("[Service]\n");
        assertThat(dir.resolve("fix.lock/fix.auto-restart/owner")).as("someone else's lock is left alone").exists();
    }

    @Test
    void aFailedPreconditionChangesNothing() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        Playbook pb = playbook(UNIT_FIX.replace("fixes:", "  - {id: backup-exists, phase: p1, file: '${dir}/backup'}\nfixes:")
                .replace("    steps:", "    requires: [backup-exists]\n    steps:"), Target.local());
        FixResult r = run(pb, "auto-restart", Target.local(), options(), FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.PRECONDITION_FAILED);
        assertThat(r.message()).isEqualTo("precondition not met: backup-exists fail; nothing was changed");
        assertThat(Files.readString(dir.resolve("unit.service"))).isEqualTo("[Service]\n");
    }

    @Test
    void manualFixesNeverPretendToHaveRun() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        Playbook pb = playbook("""
                checks:
                  - {id: token, phase: p0, file: '${dir}/token', fix: xero}
                fixes:
                  - {id: xero, manual: "Run scripts/get_xero_tokens.py where a browser is available."}
                """, Target.local());
        FixResult notDone = new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "t").run(pb, pb.fix("xero").orElseThrow(), Target.local(),
                options(), plan -> false, FixListener.NONE);
        assertThat(notDone.status()).isEqualTo(FixStatus.MANUAL);
        assertThat(notDone.steps()).isEmpty();
        FixResult markedButNotTrue = new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "t").run(pb, pb.fix("xero").orElseThrow(), Target.local(),
                options(), plan -> true, FixListener.NONE);
        assertThat(markedButNotTrue.status()).isEqualTo(FixStatus.STILL_FAILING);
    }

    private static final String TWO_FIXES = """
            checks:
              - {id: a-done, phase: p1, file: '${dir}/a', fix: make-a}
              - {id: b-done, phase: p1, file: '${dir}/b', fix: make-b}
              - {id: c-done, phase: p1, file: '${dir}/c', fix: make-c}
            fixes:
              - {id: make-a, steps: [{run: "touch ${dir}/a"}]}
              - {id: make-b, locks: [nginx], steps: [{run: "touch ${dir}/b"}]}
              - {id: make-c, locks: [nginx], steps: [{run: "touch ${dir}/c"}]}
            """;

    @Test
    void onlyFixesThatShareALockNameExcludeEachOther() throws Exception {
        Playbook pb = playbook(TWO_FIXES, Target.local());
        assertThat(pb.fix("make-b").orElseThrow().lockNames()).containsExactly("fix.make-b", "nginx");
        // someone is running make-c (it holds fix.make-c and nginx)
        for (String name : List.of("fix.make-c", "nginx")) {
            Files.createDirectories(dir.resolve("fix.lock/" + name));
            Files.writeString(dir.resolve("fix.lock/" + name + "/owner"), "bob@box (fix make-c) since 2026-11-21T10:00:00Z token=x\n");
        }
        FixResult a = run(pb, "make-a", Target.local(), options(), FixListener.NONE);
        assertThat(a.status()).as("an unrelated fix is not blocked: " + a.message()).isEqualTo(FixStatus.FIXED);
        FixResult b = run(pb, "make-b", Target.local(), options(), FixListener.NONE);
        assertThat(b.status()).isEqualTo(FixStatus.LOCKED);
        assertThat(b.message()).contains("lock nginx is held by bob@box (fix make-c)");
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(dir.resolve("fix.lock/fix.make-b")).as("all or none: the lock it took first is given back").doesNotExist();
        // the crashed run's locks are listed with their holder, then cleared
        FixRunner runner = new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "test");
        List<FixRunner.LockInfo> held = runner.locks(Target.local(), options());
        assertThat(held).extracting(FixRunner.LockInfo::name).containsExactlyInAnyOrder("fix.make-c", "nginx");
        assertThat(held).allMatch(l -> l.owner().equals("bob@box (fix make-c) since 2026-11-21T10:00:00Z"));
        runner.clearLocks(Target.local(), options(), held);
        assertThat(runner.locks(Target.local(), options())).isEmpty();
        assertThat(run(pb, "make-b", Target.local(), options(), FixListener.NONE).status()).isEqualTo(FixStatus.FIXED);
    }

    @Test
    void stillFailingSaysWhy() throws Exception {
        Playbook pb = playbook("""
                checks:
                  - {id: unit-ok, phase: p1, file: '${dir}/unit', expect: {contains: ["Restart=always"]}, fix: wrong}
                fixes:
                  - {id: wrong, steps: [{run: "echo Restart=no > ${dir}/unit"}]}
                """, Target.local());
        FixResult r = run(pb, "wrong", Target.local(), options(), FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.STILL_FAILING);
        assertThat(r.reasons()).containsKey("unit-ok");
        assertThat(r.reasons().get("unit-ok")).contains("Restart=always");
        assertThat(r.message()).startsWith("unit-ok still not passing: ").contains("Restart=always");
    }

    @Test
    void refusingThePlanIsNotApprovedNotADryRun() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        Playbook pb = playbook(UNIT_FIX, Target.local());
        FixResult r = new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "test").run(pb, pb.fix("auto-restart").orElseThrow(), Target.local(),
                options(), plan -> false, FixListener.NONE);
        assertThat(r.status()).isEqualTo(FixStatus.NOT_APPROVED);
        assertThat(r.message()).isEqualTo("not approved: nothing was changed");
        assertThat(Files.readString(dir.resolve("unit.service"))).isEqualTo("[Service]\n");
    }

    @Test
    void cancellingStopsTheRunningStepReleasesTheLockAndSaysInterrupted() throws Exception {
        Playbook pb = playbook("""
                checks:
                  - {id: marker, phase: p1, file: '${dir}/marker', fix: slow}
                fixes:
                  - id: slow
                    steps: [{run: "echo started > ${dir}/started; sleep 20; touch ${dir}/marker", timeout: 60s}]
                """, Target.local());
        FixRunner runner = new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "test");
        java.util.concurrent.CompletableFuture<FixResult> f = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> runner.run(pb, pb.fix("slow").orElseThrow(), Target.local(), options(), plan -> true, FixListener.NONE));
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!Files.exists(dir.resolve("started")) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(dir.resolve("started")).as("the step started").exists();
        assertThat(dir.resolve("fix.lock/fix.slow")).as("the lock is held while the step runs").exists();
        long t0 = System.nanoTime();
        runner.cancel();
        FixResult r = f.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("the step was stopped, not waited for").isLessThan(10_000);
        assertThat(r.status()).isEqualTo(FixStatus.INTERRUPTED);
        assertThat(r.message()).contains("interrupted during step 1").contains("rollback not run");
        assertThat(r.steps()).hasSize(1);
        assertThat(r.steps().get(0).ok()).isFalse();
        assertThat(dir.resolve("fix.lock/fix.slow")).as("the lock is released").doesNotExist();
        Thread.sleep(500);
        assertThat(dir.resolve("marker")).as("the shell was killed before its next command").doesNotExist();
        String mine = dir + "/started";
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(mine)).toList())
                .as("nothing of the step is left running").isEmpty();
    }
}
