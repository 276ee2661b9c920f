package io.triaready.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.Verdict;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler against real local commands: no fakes of the thing being run. */
class EngineTest {
    @TempDir
    Path dir;

    private Playbook playbook(String yaml) {
        return playbook(yaml, Map.of(), new Secrets());
    }

    private Playbook playbook(String yaml, Map<String, String> env, Secrets secrets) {
        return new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("playbook: t\nvars: {dir: '" + dir + "'}\n" + yaml), "t.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, env::get, secrets));
    }

    private static RunResult run(Playbook pb, RunOptions options) {
        return new Engine(BuiltIns.hostConnectors()).run(pb, Target.local(), options, new Secrets(), RunListener.NONE, "test");
    }

    private static CheckResult check(RunResult r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** The local transport, noting whether the run's session was read-only each time a check asked for it. */
    private static HostConnectors recordingReadOnly(List<Boolean> seen) {
        return new HostConnectors(List.of(new io.triaready.spi.HostConnector() {
            @Override
            public String transport() { return "local"; }

            @Override
            public io.triaready.spi.HostTransport connect(HostSpec host, io.triaready.spi.Session session, Duration timeout) {
                seen.add(session.readOnly());
                return io.triaready.transport.local.LocalHost.INSTANCE;
            }
        }));
    }

    @Test
    void anAuditsSessionIsReadOnlyUnlessItRunsDestructiveChecks() {
        Playbook pb = playbook("""
                checks:
                  - {id: a, phase: p0, command: 'true'}
                  - {id: b, phase: p0, command: 'true', destructive: true}
                """);
        for (boolean destructive : new boolean[] {false, true}) {
            List<Boolean> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            RunOptions options = RunOptions.defaults().withSelection(new Selection(Set.of(), Set.of(), Set.of(), Set.of(), destructive));
            RunResult r = new Engine(recordingReadOnly(seen)).run(pb, Target.local(), options, new Secrets(), RunListener.NONE, "test");
            assertThat(check(r, "a").outcome()).isEqualTo(Outcome.PASS);
            assertThat(seen).as("destructive " + destructive).isNotEmpty().containsOnly(!destructive);
        }
        // the audit command's own session, connected ahead: read-only until a run says otherwise
        try (io.triaready.spi.Session session = new io.triaready.spi.Session()) {
            new Engine(BuiltIns.hostConnectors()).preconnect(Target.local(), session, Duration.ofSeconds(1), 4);
            assertThat(session.readOnly()).isTrue();
        }
    }

    @Test
    void failedDependencyBlocksItsDependentsWithTheRootCause() {
        RunResult r = run(playbook("""
                checks:
                  - {id: a, phase: p0, command: 'exit 3'}
                  - {id: b, phase: p1, command: 'true', depends_on: [a]}
                  - {id: c, phase: p2, command: 'true', depends_on: [b]}
                  - {id: d, phase: p2, command: 'true'}
                """), RunOptions.defaults());
        assertThat(check(r, "a").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(r, "a").message()).isEqualTo("exit_code: expected 0, got 3");
        assertThat(check(r, "b").outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(check(r, "b").blockedBy()).isEqualTo("a");
        assertThat(check(r, "c").outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(check(r, "c").blockedBy()).isEqualTo("a");
        assertThat(check(r, "c").message()).isEqualTo("blocked by a (via b)");
        assertThat(check(r, "d").outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.verdict()).isEqualTo(Verdict.BLOCKED);
    }

    @Test
    void dependentsRunAfterTheirDependencies() throws Exception {
        RunResult r = run(playbook("""
                checks:
                  - {id: late, phase: p0, command: 'sleep 0.3; touch ${dir}/marker'}
                  - {id: after, phase: p0, command: 'test -f ${dir}/marker', depends_on: [late]}
                """), RunOptions.defaults());
        assertThat(check(r, "after").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aHungCheckCostsItsTimeoutAndTheRunCompletes() {
        long start = System.nanoTime();
        RunResult r = run(playbook("""
                checks:
                  - {id: hung, phase: p1, timeout: 300ms, command: 'sleep 30'}
                  - {id: fine, phase: p1, command: 'true'}
                """), RunOptions.defaults());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(check(r, "hung").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check(r, "hung").message()).isEqualTo("command timed out after 300ms");
        assertThat(check(r, "fine").outcome()).isEqualTo(Outcome.PASS);
        assertThat(ms).as("a 300ms timeout must not hold the run for the 30s sleep").isLessThan(10_000);
    }

    @Test
    void checkPassingOnlyAfterARetryIsFlaky() throws Exception {
        RunResult r = run(playbook("""
                checks:
                  - id: flaky
                    phase: p1
                    retries: 3
                    retry_delay: 20ms
                    command: 'n=$(cat ${dir}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${dir}/n; [ $n -ge 2 ]'
                  - {id: broken, phase: p1, retries: 2, retry_delay: 10ms, command: 'echo x >> ${dir}/tries; exit 1'}
                """), RunOptions.defaults());
        CheckResult flaky = check(r, "flaky");
        assertThat(flaky.outcome()).isEqualTo(Outcome.FLAKY);
        assertThat(flaky.hosts().get(0).attempts()).isEqualTo(2);
        assertThat(flaky.message()).isEqualTo("passed on attempt 2 of 4");
        CheckResult broken = check(r, "broken");
        assertThat(broken.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(broken.message()).endsWith("(after 3 attempts)");
        assertThat(Files.readAllLines(dir.resolve("tries"))).hasSize(3);
        assertThat(r.score().value()).isEqualTo(50.0); // flaky counts as a pass
    }

    @Test
    void independentChecksOverlapUpToTheConcurrencyLimit() throws Exception {
        StringBuilder yaml = new StringBuilder("checks:\n");
        for (int i = 0; i < 4; i++) {
            yaml.append("  - {id: c").append(i).append(", phase: p1, command: 'date +%s%N > ${dir}/start").append(i)
                    .append("; sleep 0.4; date +%s%N > ${dir}/end").append(i).append("'}\n");
        }
        Playbook pb = playbook(yaml.toString());
        run(pb, new RunOptions(Selection.ALL, 4, Duration.ofSeconds(10), null, 100));
        List<long[]> parallel = intervals(4);
        long latestStart = parallel.stream().mapToLong(i -> i[0]).max().orElseThrow();
        long earliestEnd = parallel.stream().mapToLong(i -> i[1]).min().orElseThrow();
        assertThat(latestStart).as("with 4 slots, all four run at the same time").isLessThan(earliestEnd);

        run(pb, new RunOptions(Selection.ALL, 1, Duration.ofSeconds(10), null, 100));
        List<long[]> serial = intervals(4);
        serial.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < serial.size(); i++) {
            assertThat(serial.get(i)[0]).as("with 1 slot, no two overlap").isGreaterThanOrEqualTo(serial.get(i - 1)[1]);
        }
    }

    private List<long[]> intervals(int n) throws Exception {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new long[] {Long.parseLong(Files.readString(dir.resolve("start" + i)).trim()),
                    Long.parseLong(Files.readString(dir.resolve("end" + i)).trim())});
        }
        return out;
    }

    @Test
    void runDeadlineTurnsUnstartedChecksIntoErrors() {
        RunResult r = run(playbook("""
                checks:
                  - {id: slow, phase: p1, command: 'sleep 5'}
                  - {id: next, phase: p1, command: 'true', depends_on: [slow]}
                """), new RunOptions(Selection.ALL, 4, Duration.ofSeconds(10), Duration.ofMillis(400), 100));
        assertThat(check(r, "slow").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check(r, "slow").message()).startsWith("command timed out after");
        assertThat(check(r, "next").outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(r.durationMs()).isLessThan(5000);
    }

    @Test
    void filteredChecksAreSkippedButDependenciesStillRun() {
        Playbook pb = playbook("""
                checks:
                  - {id: base, phase: p0, command: 'true'}
                  - {id: app, phase: p1, command: 'true', depends_on: [base]}
                  - {id: docs, phase: p2, command: 'true'}
                """);
        RunResult r = run(pb, RunOptions.defaults().withSelection(new Selection(EnumSet.of(Phase.P1), Set.of(), Set.of(), Set.of())));
        assertThat(check(r, "app").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check(r, "base").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check(r, "docs").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(r.score().total().skipped()).isEqualTo(1);
        assertThat(r.filters()).containsExactly("phase p1");
    }

    @Test
    void destructiveChecksNeverRunWithoutBeingAskedFor() throws Exception {
        Playbook pb = playbook("""
                checks:
                  - {id: failover, phase: p1, destructive: true, command: 'touch ${dir}/stopped-the-database'}
                  - {id: normal, phase: p1, command: 'true'}
                """);
        RunResult r = run(pb, RunOptions.defaults());
        assertThat(check(r, "failover").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(check(r, "failover").message()).isEqualTo("destructive: runs only with --destructive");
        assertThat(dir.resolve("stopped-the-database")).doesNotExist();
        RunResult opted = run(pb, RunOptions.defaults().withSelection(new Selection(Set.of(), Set.of(), Set.of(), Set.of(), true)));
        assertThat(check(opted, "failover").outcome()).isEqualTo(Outcome.PASS);
        assertThat(dir.resolve("stopped-the-database")).exists();
    }

    @Test
    void aSkippedDependencyIsNeverRunBehindTheUsersBackAndItsDependentIsNotRunEither() throws Exception {
        Playbook pb = playbook("""
                checks:
                  - {id: db, phase: p0, command: 'touch ${dir}/db-ran'}
                  - {id: app, phase: p0, command: 'touch ${dir}/app-ran', depends_on: [db]}
                  - {id: ui, phase: p1, command: 'true', depends_on: [app]}
                  - {id: docs, phase: p2, command: 'true'}
                """);
        RunResult r = run(pb, RunOptions.defaults().withSelection(new Selection(Set.of(), Set.of(), Set.of(), Set.of("db"))));
        assertThat(dir.resolve("db-ran")).as("--skip db must not be overridden by app depending on it").doesNotExist();
        assertThat(dir.resolve("app-ran")).doesNotExist();
        assertThat(check(r, "db").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(check(r, "db").message()).isEqualTo("skipped with --skip");
        // not run, not BLOCKED: nothing was observed to fail
        assertThat(check(r, "app").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(check(r, "app").message()).isEqualTo("depends on db, which is not run: skipped with --skip");
        assertThat(check(r, "app").blockedBy()).isEqualTo("db");
        assertThat(check(r, "ui").message()).isEqualTo("depends on db (via app), which is not run: skipped with --skip");
        assertThat(check(r, "docs").outcome()).isEqualTo(Outcome.PASS);
        // P0 checks were not run: what ran passes, but readiness was not shown
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(r.coverage().scopeLine()).isEqualTo("ran p2 only: P0, P1 not checked");
        assertThat(new Selection(Set.of(), Set.of(), Set.of(), Set.of("db")).plan(pb.checks()).leftOutByDependency()).containsOnlyKeys("app", "ui");
    }

    @Test
    void aDestructiveP0CheckNotRunMeansIncompleteNeverReady() {
        Playbook pb = playbook("""
                checks:
                  - {id: up, phase: p0, command: 'true'}
                  - {id: restart-drill, phase: p0, command: 'true', destructive: true}
                  - {id: after-drill, phase: p1, command: 'true', depends_on: [restart-drill]}
                  - {id: docs, phase: p2, command: 'true'}
                """);
        RunResult r = run(pb, RunOptions.defaults());
        assertThat(r.score().value()).isEqualTo(100.0);
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(check(r, "after-drill").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(check(r, "after-drill").message()).isEqualTo("depends on restart-drill, which is not run: destructive: runs only with --destructive");
        assertThat(r.score().phases().get(0).complete()).as("P0 is not complete with its drill not run").isFalse();
        assertThat(r.coverage().scopeLine()).isEqualTo("ran p0, p2 only: P1 not checked; P0: 1 of 2 not run");
        RunResult all = run(pb, RunOptions.defaults().withSelection(new Selection(Set.of(), Set.of(), Set.of(), Set.of(), true)));
        assertThat(all.verdict()).isEqualTo(Verdict.READY);
        assertThat(all.coverage().complete()).isTrue();
        // filtering out P1/P2 keeps READY possible (every P0 check ran), qualified as "for what ran"
        RunResult p0 = run(pb, RunOptions.defaults().withSelection(new Selection(EnumSet.of(Phase.P0), Set.of(), Set.of(), Set.of(), true)));
        assertThat(p0.verdict()).isEqualTo(Verdict.READY);
        assertThat(p0.coverage().scopeLine()).isEqualTo("ran p0 only: P1, P2 not checked");
    }

    @Test
    void aRunThatEvaluatedNothingHasNoScore() {
        Playbook pb = playbook("checks:\n  - {id: a, phase: p0, command: 'true'}\n");
        RunResult r = run(pb, RunOptions.defaults().withSelection(new Selection(EnumSet.of(Phase.P2), Set.of(), Set.of(), Set.of())));
        assertThat(r.score().value()).isNull();
        assertThat(r.verdict()).isEqualTo(Verdict.NO_DATA);
    }

    @Test
    void hostChecksRunOnEveryHostAndTheWorstHostDecides() throws Exception {
        Files.writeString(dir.resolve("a.marker"), "x");
        Target twoHosts = new Target("pair", List.of(new HostSpec("a", "local", Map.of()), new HostSpec("b", "local", Map.of())), Map.of(), Map.of());
        Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("""
                playbook: t
                checks:
                  - {id: both, phase: p1, command: 'true'}
                  - {id: marker, phase: p1, file: '%s/${host}.marker'}
                """.formatted(dir)), "t.yaml",
                new PlaybookLoader.Options(twoHosts, Map.of("host", "a"), Interpolator.External.RESOLVE, k -> null, new Secrets()));
        RunResult r = new Engine(BuiltIns.hostConnectors()).run(pb, twoHosts, RunOptions.defaults(), new Secrets(), RunListener.NONE, "test");
        assertThat(check(r, "both").hosts()).extracting(HostResult::host).containsExactly("a", "b");
        assertThat(check(r, "both").message()).isEqualTo("all 2 hosts passed");
        assertThat(r.hosts()).containsExactly("a", "b");
    }

    @Test
    void hostChecksOnATargetWithoutHostsAreErrors() {
        Target noHosts = new Target("web", List.of(), Map.of(), Map.of());
        Playbook pb = playbook("checks:\n  - {id: a, phase: p1, command: 'true'}\n");
        RunResult r = new Engine(BuiltIns.hostConnectors()).run(pb, noHosts, RunOptions.defaults(), new Secrets(), RunListener.NONE, "test");
        assertThat(check(r, "a").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check(r, "a").message()).contains("has no hosts");
    }

    @Test
    void cancelStopsTheRunAndReturnsAPartialResult() throws Exception {
        Playbook pb = playbook("""
                checks:
                  - {id: long, phase: p1, command: 'sleep 20'}
                  - {id: later, phase: p1, command: 'true', depends_on: [long]}
                """);
        Engine engine = new Engine(BuiltIns.hostConnectors());
        CompletableFuture<RunResult> f = CompletableFuture.supplyAsync(() ->
                engine.run(pb, Target.local(), new RunOptions(Selection.ALL, 4, Duration.ofSeconds(30), null, 100), new Secrets(), RunListener.NONE, "t"));
        Thread.sleep(300);
        engine.cancel();
        RunResult r = f.get(10, TimeUnit.SECONDS);
        assertThat(r.interrupted()).isTrue();
        assertThat(check(r, "long").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check(r, "long").message()).contains("interrupted");
        assertThat(check(r, "later").outcome()).isEqualTo(Outcome.BLOCKED);
    }

    @Test
    void secretsNeverAppearInResults() {
        Secrets secrets = new Secrets();
        Playbook pb = playbook("checks:\n  - {id: leak, phase: p1, command: 'echo token=${env:TRIA_TOKEN}', expect: {stdout: {contains: nope}}}\n",
                Map.of("TRIA_TOKEN", "hunter2-very-secret"), secrets);
        RunResult r = new Engine(BuiltIns.hostConnectors()).run(pb, Target.local(), RunOptions.defaults(), secrets, RunListener.NONE, "t");
        CheckResult c = check(r, "leak");
        assertThat(c.outcome()).isEqualTo(Outcome.FAIL);
        String everything = c.message() + c.hosts().get(0).failures() + c.hosts().get(0).evidence() + c.hosts().get(0).notes();
        assertThat(everything).doesNotContain("hunter2-very-secret").contains("******");
    }
}
