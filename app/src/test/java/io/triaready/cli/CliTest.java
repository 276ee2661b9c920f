package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triaready.core.engine.RunResult;
import io.triaready.report.ResultJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private Path playbook(String body) throws Exception {
        Path p = dir.resolve("pb.yaml");
        Files.writeString(p, "playbook: cli-test\ntitle: CLI test\nvars: {dir: '" + dir + "'}\n" + body);
        return p;
    }

    private static final String PASSING = """
            checks:
              - {id: ok, phase: p0, command: 'true'}
              - {id: file, phase: p1, file: '${dir}'}
            """;

    @Test
    void readyIsExitZero() throws Exception {
        Cli r = Cli.run("audit", "-p", playbook(PASSING).toString(), "--no-color");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Verdict  READY").contains("Score    100 / 100");
    }

    @Test
    void notReadyAndBlockedAreExitOne() throws Exception {
        Cli blocked = Cli.run("audit", "-p", playbook("checks:\n  - {id: a, phase: p0, command: 'exit 1'}\n").toString());
        assertThat(blocked.exit()).isEqualTo(1);
        assertThat(blocked.out()).contains("BLOCKED").contains("1 P0 check not passing");
        Path pb = playbook("checks:\n  - {id: a, phase: p0, command: 'true'}\n  - {id: b, phase: p2, command: 'false'}\n");
        assertThat(Cli.run("audit", "-p", pb.toString()).exit()).isEqualTo(1);
        // p0 passes (3 of 4 weight): 75 clears --fail-under 70
        assertThat(Cli.run("audit", "-p", pb.toString(), "--fail-under", "70").exit()).isZero();
    }

    @Test
    void summaryIsOneLineWithTheIdsThatDidNotPass() throws Exception {
        Path pb = playbook("""
                checks:
                  - {id: C01, phase: p0, command: 'true'}
                  - {id: C02, phase: p1, command: 'false'}
                  - {id: C03, phase: p1, command: 'true', depends_on: [C02]}
                  - {id: C04, phase: p2, command: 'true'}
                """);
        Cli r = Cli.run("audit", "-p", pb.toString(), "-f", "summary", "--skip", "C04");
        assertThat(r.out()).isEqualTo("1 passed, 2 failed: C02 C03; 1 not run: C04\n");
    }

    @Test
    void attestRecordsASignOffThatTheAttestCheckThenAccepts() throws Exception {
        Path pb = playbook("checks:\n  - {id: team-trained, phase: p2, attest: \"The team is trained on the runbook\"}\n");
        Path file = dir.resolve("attestations.yaml");
        assertThat(Cli.run("audit", "-p", pb.toString(), "--attestations", file.toString()).exit()).isEqualTo(1);
        Cli signed = Cli.run("attest", "team-trained", "--by", "alice@example.com", "--valid-for", "90d", "--note", "session \"A\"",
                "--attestations", file.toString(), "-p", pb.toString());
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("signed off team-trained (cli-test) for every target by alice@example.com").contains("(90 days)");
        Cli audit = Cli.run("audit", "-p", pb.toString(), "--attestations", file.toString());
        assertThat(audit.exit()).as(audit.out()).isZero();
        assertThat(Cli.run("attest", "x", "--attestations", file.toString()).exit()).as("--by is required").isEqualTo(2);
    }

    @Test
    void upToAndTagSelectChecks() throws Exception {
        Path pb = playbook("""
                checks:
                  - {id: a, phase: p0, command: 'true', tags: [smoke]}
                  - {id: b, phase: p1, command: 'true'}
                  - {id: c, phase: p2, command: 'false', tags: [smoke]}
                """);
        Cli upTo = Cli.run("audit", "-p", pb.toString(), "--up-to", "p1", "-f", "summary");
        assertThat(upTo.out()).isEqualTo("2 passed, 0 failed; 1 not run: c\n");
        assertThat(upTo.exit()).isZero();
        Cli tag = Cli.run("audit", "-p", pb.toString(), "--tag", "smoke", "-f", "summary");
        assertThat(tag.out()).isEqualTo("1 passed, 1 failed: c; 1 not run: b\n");
        assertThat(Cli.run("audit", "-p", pb.toString(), "--up-to", "p1", "--phase", "p0").exit()).isEqualTo(2);
    }

    @Test
    void phaseFilterRunsOnlyThatPhase() throws Exception {
        Path pb = playbook("checks:\n  - {id: a, phase: p0, command: 'true'}\n  - {id: b, phase: p1, command: 'false'}\n");
        Cli r = Cli.run("audit", "-p", pb.toString(), "--phase", "p0");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("1 not run").contains("not selected (phase p0):").contains("b (p1)").doesNotContain("✗");
    }

    @Test
    void everyUserMistakeIsOneLineAndExitTwo() throws Exception {
        Path pb = playbook(PASSING);
        List<String[]> mistakes = new ArrayList<>();
        mistakes.add(new String[] {"audit", "--phasee", "p0"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--phase", "p7"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--only", "nope"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--tag", "nope"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--fail-under", "120"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--timeout", "soon"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "-o", dir.resolve("report.docx").toString()});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--format", "pdf"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--target", "prod"});
        mistakes.add(new String[] {"audit", "-p", "no-such-playbook"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--var", "novalue"});
        mistakes.add(new String[] {"explain", "-p", pb.toString(), "nope"});
        mistakes.add(new String[] {"nosuchcommand"});
        for (String[] args : mistakes) {
            Cli r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void playbookMistakesListEveryProblemWithPosition() throws Exception {
        Path pb = playbook("checks:\n  - {id: a, phase: p5, command: 'true'}\n  - {id: b, phase: p0, comand: 'true'}\n");
        for (String cmd : new String[] {"audit", "validate"}) {
            Cli r = Cli.run(cmd, "-p", pb.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(pb + ":5:20: invalid phase 'p5'").contains(pb + ":6:24: unknown check type 'comand'").contains("2 problems found");
        }
    }

    @Test
    void validateReportsOkAndTouchesNothing() throws Exception {
        Path canary = dir.resolve("canary");
        Path pb = playbook("checks:\n  - {id: a, phase: p0, command: 'touch " + canary + "'}\n");
        Cli r = Cli.run("validate", pb.toString(), "baseline");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ok    " + pb + ": 1 checks, 0 fixes").contains("ok    bundled:baseline");
        assertThat(canary).doesNotExist();
    }

    @Test
    void helpAndVersionWorkOnEveryCommand() {
        for (String cmd : new String[] {"audit", "fix", "attest", "list", "explain", "validate"}) {
            Cli help = Cli.run(cmd, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: tria-ready " + cmd);
            Cli version = Cli.run(cmd, "--version");
            assertThat(version.exit()).isZero();
            assertThat(version.out()).startsWith("tria-ready ");
        }
        assertThat(Cli.run("--help").out()).contains("audit").contains("validate").contains("Exit codes");
    }

    @Test
    void listAndExplain() throws Exception {
        Path pb = playbook("""
                checks:
                  - {id: base, phase: p0, title: Base works, command: 'true', fix: repair}
                  - {id: app, phase: p1, command: 'true', depends_on: [base], expect: {exit_code: 0, stdout: {contains: ok}}}
                fixes:
                  - {id: repair, title: Repair it, steps: [{run: 'systemctl restart x'}]}
                """);
        Cli list = Cli.run("list", "-p", pb.toString());
        assertThat(list.out()).contains("P0 (1)").contains("base").contains("Base works").contains("fix: repair").contains("Fixes (1)");
        Cli explain = Cli.run("explain", "app", "-p", pb.toString());
        assertThat(explain.out()).contains("exit_code 0").contains("stdout contains \"ok\"").contains("depends on  base");
        Cli explainFix = Cli.run("explain", "repair", "-p", pb.toString());
        assertThat(explainFix.out()).contains("run: systemctl restart x").contains("verified by base");
    }

    @Test
    void reportsAreWrittenAtomicallyInEveryRequestedFormatWithSecretsMasked() throws Exception {
        // the secret comes from a file reference, so it is known to the run and must never be written
        Path secretFile = dir.resolve("token");
        Files.writeString(secretFile, "tok-5up3r-s3cret\n");
        Path pb = playbook("checks:\n  - {id: leak, phase: p1, command: \"echo ${file:" + secretFile + "}\", expect: {stdout: {contains: nothing}}}\n");
        Path json = dir.resolve("out/result.json");
        Path text = dir.resolve("out/result.txt");
        Cli r = Cli.run("audit", "-p", pb.toString(), "-o", json.toString(), "-o", text.toString());
        assertThat(r.exit()).isEqualTo(1);
        String jsonText = Files.readString(json);
        assertThat(jsonText + Files.readString(text) + r.out() + r.err()).doesNotContain("tok-5up3r-s3cret");
        assertThat(jsonText).contains("******");
        try (var files = Files.list(json.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("result.json", "result.txt");
        }
    }

    @Test
    void jsonFollowsTheDocumentedSchemaAndRoundTrips() throws Exception {
        Path pb = playbook("""
                categories: {core: 70, extra: 30}
                checks:
                  - {id: a, phase: p0, category: core, command: 'true'}
                  - {id: b, phase: p1, category: extra, command: 'false', fix: f}
                  - {id: c, phase: p2, category: extra, command: 'true', depends_on: [b]}
                fixes:
                  - {id: f, manual: "do it"}
                """);
        Cli r = Cli.run("audit", "-p", pb.toString(), "--format", "json");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.path("schema").asText()).isEqualTo("tria-ready/result/v1");
        for (String field : new String[] {"tool", "playbook", "target", "started", "finished", "duration_ms", "filters", "interrupted", "verdict",
                "fail_under", "score", "checks"}) {
            assertThat(root.has(field)).as(field).isTrue();
        }
        assertThat(root.path("verdict").asText()).isEqualTo("NOT_READY");
        assertThat(root.path("score").path("value").asDouble()).isEqualTo(70.0);
        JsonNode b = root.path("checks").get(1);
        assertThat(b.path("status").asText()).isEqualTo("fail");
        assertThat(b.path("hosts").get(0).path("failures").get(0).asText()).isEqualTo("exit_code: expected 0, got 1");
        assertThat(root.path("checks").get(2).path("status").asText()).isEqualTo("blocked");
        assertThat(root.path("checks").get(2).path("blocked_by").asText()).isEqualTo("b");
        RunResult back = ResultJson.read(new StringReader(r.out()));
        java.io.StringWriter again = new java.io.StringWriter();
        ResultJson.write(back, again);
        assertThat(again.toString()).isEqualTo(r.out());
    }

    @Test
    void ctrlCWritesAPartialReportAndExits130() throws Exception {
        Path pb = playbook("checks:\n  - {id: quick, phase: p0, command: 'true'}\n  - {id: long, phase: p1, command: 'sleep 30', depends_on: [quick]}\n");
        Path json = dir.resolve("partial.json");
        Path started = dir.resolve("started");
        Files.writeString(pb, Files.readString(pb).replace("'sleep 30'", "'touch " + started + "; sleep 30'"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "audit", "-p", pb.toString(), "--timeout", "60s", "-o", json.toString())
                .redirectErrorStream(true).start();
        long until = System.currentTimeMillis() + 20_000;
        while (!Files.exists(started) && System.currentTimeMillis() < until) Thread.sleep(50);
        assertThat(started).as("the long check started").exists();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(output).isEqualTo(130);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("interrupted").asBoolean()).isTrue();
        assertThat(root.path("checks").get(0).path("status").asText()).isEqualTo("pass");
        assertThat(root.path("checks").get(1).path("message").asText()).contains("interrupted");
        assertThat(output).contains("Interrupted: this report is partial.");
    }

    @Test
    void bundledPlaybooksAreAllListedAndValid() {
        Cli list = Cli.run("list", "--bundled");
        assertThat(list.out().lines()).contains("baseline");
        for (String name : list.out().strip().split("\n")) {
            Cli v = Cli.run("validate", name);
            assertThat(v.exit()).as(name + ": " + v.err()).isZero();
        }
    }
}
