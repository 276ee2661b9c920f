package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triaready.core.engine.RunResult;
import io.triaready.history.FileStore;
import io.triaready.history.HistoryEntry;
import io.triaready.report.ResultJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI claims: a sign-off only for a real attest check, target and person; --skip never
 * silently overridden; history and diff comparing like with like; a refused fix says "not approved";
 * a lock left behind cleared only after showing its holder.
 */
class ClaimsTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void isolate() {
        env.put("HOME", dir.toString());
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        env.put("LANG", "C.UTF-8");
    }

    private Cli cli(String... args) { return Cli.run(env, args); }

    private Path playbook(String body) throws Exception {
        Path p = dir.resolve("pb.yaml");
        Files.writeString(p, "playbook: claims\nvars: {dir: '" + dir + "'}\n" + body);
        return p;
    }

    private static void oneLineMistake(Cli r, String what, String message) {
        assertThat(r.exit()).as(what + " -> " + r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(what).hasSize(1);
        assertThat(r.err()).as(what).contains(message).doesNotContain("Exception");
    }

    @Test
    void attestSignsOffOnlyARealAttestCheckForAKnownTargetBySomeone() throws Exception {
        Path pb = playbook("""
                checks:
                  - {id: team-trained, phase: p2, attest: "The team is trained"}
                  - {id: up, phase: p0, command: 'true'}
                """);
        Path inv = dir.resolve("inv/targets.yaml");
        Files.createDirectories(inv.getParent());
        Files.writeString(inv, "targets:\n  prod:\n    vars: {tria.attestations: signoffs/prod.yaml}\n");
        Path file = dir.resolve("a.yaml");
        oneLineMistake(cli("attest", "no-such-check", "--by", "bob", "-p", pb.toString(), "--attestations", file.toString()),
                "unknown id", "unknown check id 'no-such-check' in playbook claims");
        oneLineMistake(cli("attest", "up", "--by", "bob", "-p", pb.toString(), "--attestations", file.toString()),
                "not an attest check", "check 'up' is a command check");
        oneLineMistake(cli("attest", "team-trained", "--by", "", "-p", pb.toString(), "--attestations", file.toString()), "empty --by", "--by");
        oneLineMistake(cli("attest", "team-trained", "--by", "  ", "-p", pb.toString(), "--attestations", file.toString()), "blank --by", "--by");
        oneLineMistake(cli("attest", "team-trained", "--by", "bob", "-p", pb.toString(), "-i", inv.toString(), "-t", "prdo"),
                "unknown target", "--target prdo: no such target");
        assertThat(file).doesNotExist();

        // the target's file comes from the inventory, relative to it; attest and audit agree on it
        Cli signed = cli("attest", "team-trained", "--by", "bob", "-p", pb.toString(), "-i", inv.toString(), "-t", "prod");
        assertThat(signed.exit()).as(signed.err()).isZero();
        Path expected = dir.resolve("inv/signoffs/prod.yaml");
        assertThat(signed.out()).contains("signed off team-trained (claims) for prod by bob").endsWith("in " + expected + "\n");
        assertThat(expected).exists();
        Cli audit = cli("audit", "-p", pb.toString(), "-i", inv.toString(), "-t", "prod", "--no-store", "--only", "team-trained", "-f", "summary");
        assertThat(audit.out()).as(audit.err()).isEqualTo("1 passed, 0 failed; 1 not run: up\n");
        // --attestations wins over the inventory: there, nobody signed off
        Cli other = cli("audit", "-p", pb.toString(), "-i", inv.toString(), "-t", "prod", "--no-store", "--attestations", file.toString(), "--no-color");
        assertThat(other.out()).contains("nobody signed off 'team-trained' for target prod in " + file);

        // an empty sign-off written by hand is a problem in the file, never a pass
        Files.writeString(file, "attestations:\n  - {check: team-trained, by: \"\", at: 2026-11-20}\n");
        Cli empty = cli("audit", "-p", pb.toString(), "--attestations", file.toString(), "--no-store", "--no-color");
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.out()).contains("ERROR").contains("'by' must name who signed it off");
    }

    @Test
    void skippingADependencySaysWhatElseIsNotRunInsteadOfRunningIt() throws Exception {
        Path pb = playbook("""
                checks:
                  - {id: db, phase: p0, command: 'touch ${dir}/db-ran'}
                  - {id: app, phase: p1, command: 'true', depends_on: [db]}
                """);
        Cli r = cli("audit", "-p", pb.toString(), "--skip", "db", "--no-store", "--no-color");
        assertThat(dir.resolve("db-ran")).doesNotExist();
        assertThat(r.err()).contains("tria-ready: note: app is not run: depends on db, which is not run: skipped with --skip");
        assertThat(r.out()).contains("Not run").contains("skipped with --skip:").contains("db (p0)")
                .contains("Verdict  NO DATA");
    }

    private RunResult saved(Path json) throws Exception {
        try (var in = Files.newBufferedReader(json)) {
            return ResultJson.read(in);
        }
    }

    @Test
    void historyAndDiffCompareLikeWithLikeAndLeaveInterruptedRunsOutOfTrends() throws Exception {
        Path pb = playbook("""
                fail_under: 100
                checks:
                  - {id: p0-ok, phase: p0, command: 'true'}
                  - {id: p1-bad, phase: p1, command: 'false'}
                """);
        Path full = dir.resolve("full.json");
        Path p0 = dir.resolve("p0.json");
        assertThat(cli("audit", "-p", pb.toString(), "-q", "-o", full.toString()).exit()).isEqualTo(1);
        assertThat(cli("audit", "-p", pb.toString(), "-q", "--phase", "p0", "-o", p0.toString()).exit()).isZero();
        // an interrupted run of the same scope as the full one, recorded as a Ctrl-C'd audit is
        RunResult f = saved(full);
        RunResult interrupted = new RunResult(f.schema(), f.toolVersion(), f.playbookId(), f.playbookTitle(), f.playbookSource(), f.target(),
                f.hosts(), Instant.now(), Instant.now(), f.filters(), f.checks(), new io.triaready.core.score.Score(5.0, f.score().phases(),
                f.score().categories(), f.score().total()), f.failUnder(), f.verdict(), true);
        java.io.StringWriter w = new java.io.StringWriter();
        ResultJson.write(interrupted, w);
        new FileStore(dir.resolve("state/tria-ready")).save(interrupted, w.toString());

        List<HistoryEntry> runs = new FileStore(dir.resolve("state/tria-ready")).entries(null, null, 0);
        assertThat(runs).extracting(HistoryEntry::scope).containsExactly("", "phase p0", "");
        Cli h = cli("history", "-p", "claims", "--ascii");
        assertThat(h.exit()).as(h.err()).isZero();
        assertThat(h.out()).contains("target local  [all checks]").contains("target local  [phase p0]")
                .contains("(1 interrupted run not in the trend)").doesNotContain("100 -> 75").doesNotContain("75 -> 100");
        JsonNode hj = new ObjectMapper().readTree(cli("history", "-p", "claims", "--format", "json").out());
        assertThat(hj.path("series")).hasSize(2);

        // a --phase p0 run against a full one: said, and no score delta
        Cli d = cli("diff", full.toString(), p0.toString());
        assertThat(d.out()).contains("note: different scopes (all checks and phase p0)").contains("(not comparable)")
                .contains("No check changed among those both runs ran.").doesNotContain("(+25)");
        JsonNode dj = new ObjectMapper().readTree(cli("diff", full.toString(), p0.toString(), "--format", "json").out());
        assertThat(dj.path("same_scope").asBoolean()).isFalse();
        assertThat(dj.path("score_delta").isNull()).isTrue();
        // --last 2 compares the two runs of the latest run's scope, never across scopes, never the interrupted one
        assertOneLine(cli("diff", "--last", "2", "-p", "claims"), "only 1 complete run of playbook claims on target local with the latest run's scope");

        // a changed bar is shown: --fail-under and a check's weight / expectation
        Files.writeString(pb, Files.readString(pb).replace("{id: p1-bad, phase: p1, command: 'false'}",
                "{id: p1-bad, phase: p1, weight: 2, command: 'false', expect: {exit_code: 1}}"));
        Path after = dir.resolve("after.json");
        cli("audit", "-p", pb.toString(), "-q", "--fail-under", "50", "-o", after.toString());
        Cli bar = cli("diff", full.toString(), after.toString(), "--ascii");
        assertThat(bar.out()).contains("threshold  fail-under 100 -> 50").contains("Bar changed (2)")
                .containsPattern("~ p1-bad +weight: 1 -> 2").containsPattern("~ p1-bad +expect: exit_code 0 -> exit_code 1");
    }

    private static void assertOneLine(Cli r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    /** The CLI with a terminal that types {@code typed}. */
    private Cli withTerminal(String typed, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        org.jline.terminal.Terminal t = new org.jline.terminal.impl.DumbTerminal("test", "dumb",
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8);
        int code = TriaReady.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env::get, () -> Optional.of(t));
        return new Cli(code, out.toString(StandardCharsets.UTF_8) + screen.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void answeringNoIsNotApprovedAndALeftoverLockIsClearedOnlyAfterShowingItsHolder() throws Exception {
        Path pb = playbook("""
                checks:
                  - {id: marker, phase: p1, file: '${dir}/marker', fix: make}
                fixes:
                  - {id: make, steps: [{run: "touch ${dir}/marker"}]}
                """);
        String locks = dir.resolve("locks").toString();
        Cli no = withTerminal("n\n", "fix", "make", "-p", pb.toString(), "--lock-dir", locks, "--no-store");
        assertThat(no.exit()).as(no.out() + no.err()).isEqualTo(1);
        assertThat(no.out()).contains("NOT APPROVED — not approved: nothing was changed").doesNotContain("DRY RUN");
        assertThat(dir.resolve("marker")).doesNotExist();

        Files.createDirectories(dir.resolve("locks/fix.make"));
        Files.writeString(dir.resolve("locks/fix.make/owner"), "carol@ci (fix make) since 2026-11-21T10:00:00Z token=t\n");
        Cli locked = cli("fix", "make", "--yes", "-p", pb.toString(), "--lock-dir", locks, "--no-store");
        assertThat(locked.out()).contains("LOCKED").contains("held by carol@ci (fix make)").contains("tria-ready fix --clear-lock fix.make");
        Cli refuse = cli("fix", "--clear-lock", "-p", pb.toString(), "--lock-dir", locks);
        assertThat(refuse.exit()).isEqualTo(2);
        assertThat(refuse.out()).contains("fix.make  held by carol@ci (fix make) since 2026-11-21T10:00:00Z");
        assertThat(dir.resolve("locks/fix.make")).as("not removed without asking").exists();
        Cli keep = withTerminal("n\n", "fix", "--clear-lock", "fix.make", "-p", pb.toString(), "--lock-dir", locks);
        assertThat(keep.out()).contains("not approved: no lock removed");
        assertThat(dir.resolve("locks/fix.make")).exists();
        Cli clear = withTerminal("y\n", "fix", "--clear-lock", "fix.make", "-p", pb.toString(), "--lock-dir", locks);
        assertThat(clear.exit()).as(clear.out() + clear.err()).isZero();
        assertThat(clear.out()).contains("removed 1 lock");
        assertThat(dir.resolve("locks/fix.make")).doesNotExist();
        assertThat(cli("fix", "make", "--yes", "-p", pb.toString(), "--lock-dir", locks, "--no-store").out()).contains("FIXED");
    }
}
