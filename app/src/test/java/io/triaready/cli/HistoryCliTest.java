package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triaready.history.FileStore;
import io.triaready.history.HistoryEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history, diff and report through the command line, against a file store in a temporary state directory. */
class HistoryCliTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path pb;

    @BeforeEach
    void isolate() {
        env.put("HOME", dir.toString());
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        env.put("LANG", "C.UTF-8");
        pb = dir.resolve("pb.yaml");
    }

    private Cli cli(String... args) { return Cli.run(env, args); }

    /** An audit of a playbook whose checks pass or fail as given ("a" → pass, "!a" → fail); ids starting with p0- are P0. */
    private Cli audit(String... checks) throws Exception {
        StringBuilder b = new StringBuilder("playbook: shop\ntitle: Shop readiness\nchecks:\n");
        for (String c : checks) {
            boolean fails = c.startsWith("!");
            String id = fails ? c.substring(1) : c;
            b.append("  - {id: ").append(id).append(", phase: ").append(id.startsWith("p0-") ? "p0" : "p1").append(", command: '")
                    .append(fails ? "false" : "true").append("'}\n");
        }
        Files.writeString(pb, b.toString());
        return cli("audit", "-p", pb.toString(), "-q");
    }

    private List<HistoryEntry> recorded() throws Exception {
        return new FileStore(dir.resolve("state/tria-ready")).entries(null, null, 0);
    }

    /** The shortest prefix of {@code id} that no other run's id starts with (both runs may share a second). */
    private static String uniquePrefix(String id, List<HistoryEntry> runs) {
        for (int n = 9; n < id.length(); n++) {
            String p = id.substring(0, n);
            if (runs.stream().filter(e -> e.id().startsWith(p)).count() == 1) return p;
        }
        return id;
    }

    private static void assertOneLineMistake(Cli r, String what) {
        assertThat(r.exit()).as(what + " -> " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(what).hasSize(1);
        assertThat(r.err()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void everyAuditIsRecordedAndHistoryShowsTheScoreOverTimeAndWhenChecksStartedOrStoppedFailing() throws Exception {
        assertThat(cli("history").out()).contains("No audits recorded yet in " + dir.resolve("state/tria-ready"));
        assertThat(audit("p0-db", "!cache", "metrics").exit()).isEqualTo(1);
        assertThat(audit("p0-db", "cache", "!metrics").exit()).isEqualTo(1);
        assertThat(audit("p0-db", "cache", "!metrics").exit()).isEqualTo(1);
        assertThat(audit("p0-db", "cache", "metrics").exit()).as("--no-store: not recorded").isZero();
        assertThat(cli("audit", "-p", pb.toString(), "-q", "--no-store").exit()).isZero();
        List<HistoryEntry> runs = recorded();
        assertThat(runs).hasSize(4);
        HistoryEntry second = runs.get(1);
        HistoryEntry last = runs.get(3);

        Cli h = cli("history");
        assertThat(h.exit()).as(h.err()).isZero();
        assertThat(h.out()).contains("shop  →  target local  [all checks]   4 runs")
                .contains("score  ▆▆▆█  " + HistoryCommand.score(second.score()) + " → 100 / 100 (+")
                .contains(Glyphs.when(last.started()) + "  " + last.id() + "    100  READY")
                .contains(second.id() + "   " + HistoryCommand.score(second.score()) + "  NOT READY")
                .contains("✓ cache    fixed " + Glyphs.when(second.started()))
                .contains("✓ metrics  fixed " + Glyphs.when(last.started()));
        // metrics is failing in the three first runs: keep it failing and see "since" and the run count
        audit("p0-db", "cache", "!metrics");
        audit("!p0-db", "cache", "!metrics");
        runs = recorded();
        Cli again = cli("history", "--playbook", "shop", "--target", "local");
        assertThat(again.out())
                .contains("✗ p0-db    fail since " + Glyphs.when(runs.get(5).started()) + " (1 run)")
                .contains("✗ metrics  fail since " + Glyphs.when(runs.get(4).started()) + " (2 runs), 3 changes in these runs")
                .contains("BLOCKED");

        Cli ascii = cli("history", "--ascii");
        assertThat(ascii.out()).matches("\\p{ASCII}*").contains("->").contains("x p0-db");
        env.put("LANG", "C");
        assertThat(cli("history").out()).as("not a UTF-8 locale").matches("\\p{ASCII}*");

        assertThat(cli("history", "--limit", "2").out()).contains("2 runs").doesNotContain(runs.get(3).id());

        JsonNode json = new ObjectMapper().readTree(cli("history", "--format", "json").out());
        assertThat(json.path("schema").asText()).isEqualTo("tria-ready/history/v1");
        JsonNode series = json.path("series").get(0);
        assertThat(series.path("playbook").asText()).isEqualTo("shop");
        assertThat(series.path("runs")).hasSize(6);
        assertThat(series.path("runs").get(5).path("verdict").asText()).isEqualTo("BLOCKED");
        JsonNode metrics = series.path("checks").get(1);
        assertThat(metrics.path("id").asText()).isEqualTo("metrics");
        assertThat(metrics.path("status").asText()).isEqualTo("fail");
        assertThat(metrics.path("runs").asInt()).isEqualTo(2);
        assertThat(metrics.path("since_run").asText()).isEqualTo(runs.get(4).id());
        assertThat(metrics.path("transitions")).hasSize(3);
        assertThat(metrics.path("transitions").get(2).path("from").asText()).isEqualTo("pass");
        assertThat(metrics.path("transitions").get(2).path("to").asText()).isEqualTo("fail");

        env.put("LANG", "C.UTF-8");
        // a damaged result: its row stays, one warning, the other runs still tell their story
        Files.writeString(dir.resolve("state/tria-ready/results/" + runs.get(5).id() + ".json"), "{\"sch");
        Cli damaged = cli("history");
        assertThat(damaged.exit()).isZero();
        assertThat(damaged.err().strip().lines()).hasSize(1);
        assertThat(damaged.err()).contains("warning: cannot read run " + runs.get(5).id());
        assertThat(damaged.out()).contains(runs.get(5).id()).contains("✗ metrics  fail since " + Glyphs.when(runs.get(4).started()) + " (1 run)");
    }

    @Test
    void historyKeepsEachPlaybookAndTargetApartAndATypoInAFilterIsAMistake() throws Exception {
        audit("a");
        Files.writeString(pb, "playbook: other\ntitle: Other\nchecks:\n  - {id: x, phase: p0, command: 'true'}\n");
        cli("audit", "-p", pb.toString(), "-q");
        Cli all = cli("history");
        assertThat(all.out()).contains("other  →  target local  [all checks]   1 run").contains("shop  →  target local  [all checks]   1 run");
        assertThat(all.out().indexOf("other")).as("most recently audited first").isLessThan(all.out().indexOf("shop"));
        assertThat(cli("history", "-p", "shop").out()).doesNotContain("other");
        Cli typo = cli("history", "-p", "shpo");
        assertOneLineMistake(typo, "history -p shpo");
        assertThat(typo.err()).contains("no runs of playbook 'shpo'").contains("did you mean 'shop'");
        Cli target = cli("history", "-t", "locl");
        assertOneLineMistake(target, "history -t locl");
        assertThat(target.err()).contains("did you mean 'local'");
    }

    @Test
    void diffShowsRegressionsImprovementsNewAndRemovedChecksAndFailsOnlyWhenAsked() throws Exception {
        Path before = dir.resolve("before.json");
        Path after = dir.resolve("after.json");
        Files.writeString(pb, "playbook: shop\ntitle: Shop\nchecks:\n"
                + "  - {id: p0-db, phase: p0, command: 'true'}\n  - {id: cache, phase: p1, command: 'false'}\n"
                + "  - {id: metrics, phase: p1, command: 'true'}\n  - {id: old, phase: p2, command: 'true'}\n");
        assertThat(cli("audit", "-p", pb.toString(), "-q", "-o", before.toString()).exit()).isEqualTo(1);
        Files.writeString(pb, "playbook: shop\ntitle: Shop\nchecks:\n"
                + "  - {id: p0-db, phase: p0, command: 'true'}\n  - {id: cache, phase: p1, command: 'true'}\n"
                + "  - {id: metrics, phase: p1, command: 'exit 3'}\n  - {id: fresh, phase: p2, command: 'true'}\n");
        assertThat(cli("audit", "-p", pb.toString(), "-q", "-o", after.toString()).exit()).isEqualTo(1);

        Cli d = cli("diff", before.toString(), after.toString());
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).contains("Regressed (1)").containsPattern("✗ metrics +p1 +pass → fail +exit_code: expected 0, got 3")
                .contains("Improved (1)").containsPattern("✓ cache +p1 +fail → pass")
                .contains("New (1)").containsPattern("\\+ fresh +p2 +pass")
                .contains("Removed (1)").containsPattern("- old +p2 +pass")
                .contains("Unchanged: 1 still passing")
                .contains("from  " + before);
        assertThat(cli("diff", before.toString(), after.toString(), "--fail-on-regression").exit()).isEqualTo(1);
        assertThat(cli("diff", after.toString(), before.toString(), "--fail-on-regression").exit())
                .as("the other way round, metrics improved and cache regressed").isEqualTo(1);
        assertThat(cli("diff", before.toString(), before.toString(), "--fail-on-regression").exit()).isZero();
        assertThat(cli("diff", before.toString(), before.toString()).out()).contains("No check changed.");

        JsonNode json = new ObjectMapper().readTree(cli("diff", before.toString(), after.toString(), "--format", "json").out());
        assertThat(json.path("schema").asText()).isEqualTo("tria-ready/diff/v1");
        assertThat(json.path("regression").asBoolean()).isTrue();
        assertThat(json.path("regressed").get(0).path("id").asText()).isEqualTo("metrics");
        assertThat(json.path("regressed").get(0).path("to").asText()).isEqualTo("fail");
        assertThat(json.path("improved").get(0).path("id").asText()).isEqualTo("cache");
        assertThat(json.path("new").get(0).path("id").asText()).isEqualTo("fresh");
        assertThat(json.path("removed").get(0).path("id").asText()).isEqualTo("old");
        assertThat(json.path("from").path("file").asText()).isEqualTo(before.toString());
        assertThat(json.path("score_delta").asDouble()).isZero(); // 3 of 4 passing on both sides, same phases

        // the same two runs from the history, by id and with --last 2
        List<HistoryEntry> runs = recorded();
        Cli byId = cli("diff", runs.get(0).id(), uniquePrefix(runs.get(1).id(), runs), "--fail-on-regression");
        assertThat(byId.exit()).as(byId.err()).isEqualTo(1);
        assertThat(byId.out()).contains("from  " + runs.get(0).id()).contains("Regressed (1)");
        Cli last = cli("diff", "--last", "2", "-p", "shop", "--fail-on-regression");
        assertThat(last.exit()).isEqualTo(1);
        assertThat(last.out()).contains("to    " + runs.get(1).id()).contains("Improved (1)");
        Cli mixed = cli("diff", runs.get(1).id(), before.toString(), "--format", "json");
        assertThat(new ObjectMapper().readTree(mixed.out()).path("from").path("id").asText()).isEqualTo(runs.get(1).id());
        assertOneLineMistake(cli("diff", "--last", "3"), "only two runs");
    }

    @Test
    void reportReRendersASavedResultInAnyFormat() throws Exception {
        Path saved = dir.resolve("result.json");
        audit("p0-db", "!cache");
        Files.writeString(pb, Files.readString(pb)); // same playbook
        assertThat(cli("audit", "-p", pb.toString(), "-q", "-o", saved.toString()).exit()).isEqualTo(1);

        Cli text = cli("report", saved.toString(), "--no-color");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("Shop readiness (shop)").contains("✗ FAIL").contains("Verdict  NOT READY");

        Path again = dir.resolve("out/again.json");
        Path txt = dir.resolve("out/again.txt");
        Cli files = cli("report", saved.toString(), "-q", "-o", again.toString(), "-o", txt.toString());
        assertThat(files.exit()).as(files.err()).isZero();
        assertThat(files.out()).isEmpty();
        assertThat(Files.readString(again)).as("JSON re-rendered from JSON is the same file").isEqualTo(Files.readString(saved));
        assertThat(Files.readString(txt)).contains("Verdict  NOT READY");
        assertThat(cli("report", saved.toString(), "--format", "json").out()).isEqualTo(Files.readString(saved));

        String id = recorded().get(1).id();
        assertThat(cli("report", id).out()).contains("Verdict  NOT READY");

        Path notResult = Files.writeString(dir.resolve("package.json"), "{\"name\": \"left-pad\"}");
        Path notJson = Files.writeString(dir.resolve("notes.json"), "hello");
        Path future = Files.writeString(dir.resolve("v2.json"), "{\"schema\": \"tria-ready/result/v2\"}");
        Cli r1 = cli("report", notResult.toString());
        assertOneLineMistake(r1, "not a result");
        assertThat(r1.err()).contains(notResult + ": unsupported result schema ''");
        assertOneLineMistake(cli("report", notJson.toString()), "not JSON");
        assertThat(cli("report", future.toString()).err()).contains("unsupported result schema 'tria-ready/result/v2'");
        assertOneLineMistake(cli("report", dir.resolve("missing.json").toString()), "missing file");
        assertOneLineMistake(cli("report", dir.toString()), "a directory");
        assertOneLineMistake(cli("report", "20991231"), "unknown id");
        assertOneLineMistake(cli("report", saved.toString(), "--format", "pdf"), "unknown format");
    }

    @Test
    void aFailingStoreNeverFailsTheAuditOneWarningLineInstead() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("results"), "a file where the results directory should be");
        Files.writeString(pb, "playbook: shop\ntitle: Shop\nchecks:\n  - {id: a, phase: p0, command: 'true'}\n");
        Cli r = cli("audit", "-p", pb.toString(), "--store", broken.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Verdict  READY");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("tria-ready: warning: this run is not recorded in history: cannot record in " + broken);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env.put("PGPW", "pg-s3cret-pw");
        Cli pg = cli("audit", "-p", pb.toString(), "--store", "jdbc:postgresql://127.0.0.1:" + closedPort + "/x?user=u&password=${env:PGPW}");
        assertThat(pg.exit()).isZero();
        assertThat(pg.err().strip().lines()).hasSize(1);
        assertThat(pg.err()).contains("warning: this run is not recorded in history").contains("127.0.0.1:" + closedPort).doesNotContain("pg-s3cret-pw");
    }

    @Test
    void everyMistakeIsOneLineAndExitTwo() throws Exception {
        audit("a");
        Files.writeString(dir.resolve("file"), "x");
        List<String[]> mistakes = new ArrayList<>();
        mistakes.add(new String[] {"history", "--limit", "0"});
        mistakes.add(new String[] {"history", "--format", "xml"});
        mistakes.add(new String[] {"history", "--store", "postgres://db/x"});
        mistakes.add(new String[] {"history", "--store", dir.resolve("file").toString()});
        mistakes.add(new String[] {"diff", "only-one"});
        mistakes.add(new String[] {"diff"});
        mistakes.add(new String[] {"diff", "--last", "1"});
        mistakes.add(new String[] {"diff", "a", "b", "--last", "2"});
        mistakes.add(new String[] {"diff", "20990101", "20990102"});
        mistakes.add(new String[] {"diff", "--last", "2", "-t", "prod"});
        mistakes.add(new String[] {"diff", "x.json", "y.json", "-t", "prod"});
        mistakes.add(new String[] {"diff", "--last", "2", "--store", "jdbc:mysql://x/y"});
        mistakes.add(new String[] {"report"});
        mistakes.add(new String[] {"report", "nope.json"});
        mistakes.add(new String[] {"report", "x.json", "--store", "jdbc:postgresql://db/x?password=${env:UNSET}"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--store", "jdbc:mysql://x/y"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--store", dir.toString(), "--no-store"});
        mistakes.add(new String[] {"completion", "fish"});
        mistakes.add(new String[] {"completion"});
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        mistakes.add(new String[] {"history", "--store", "jdbc:postgresql://127.0.0.1:" + closedPort + "/x?user=u"});
        for (String[] args : mistakes) assertOneLineMistake(cli(args), String.join(" ", args));
        assertThat(cli("diff", "--last", "2").err()).contains("--last 2: only 1 complete run of playbook shop on target local");
    }

    @Test
    void thePostgresStoreWorksEndToEnd() throws Exception {
        try (var db = new io.triaready.history.TestDatabaseAccess()) {
            String store = db.url();
            audit("p0-db", "!cache");
            assertThat(cli("audit", "-p", pb.toString(), "-q", "--store", store).exit()).isEqualTo(1);
            Files.writeString(pb, Files.readString(pb).replace("'false'", "'true'"));
            assertThat(cli("audit", "-p", pb.toString(), "-q", "--store", store).exit()).isZero();
            Cli h = cli("history", "--store", store);
            assertThat(h.exit()).as(h.err()).isZero();
            assertThat(h.out()).contains("shop  →  target local  [all checks]   2 runs").contains("✓ cache  fixed");
            Cli d = cli("diff", "--last", "2", "--store", store);
            assertThat(d.out()).contains("Improved (1)").contains("fail → pass");
            env.put("TRIA_READY_STORE", store);
            assertThat(cli("history").out()).as("TRIA_READY_STORE").contains("2 runs");
        }
    }
}
