package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs CI systems and monitoring read: GitHub Actions annotations and step summary, the Nagios
 * plugin convention, explicit formats for files without an extension, file modes that other users
 * (node_exporter) can read. Each audit here runs real local commands.
 */
class CiFormatsTest {
    @TempDir
    Path dir;

    /** Two P0 checks (one passes, one fails), one P1 that passes, and a destructive P0 drill that does not run. */
    private Path playbook(boolean healthy) throws Exception { return playbook(healthy, true); }

    private Path playbook(boolean healthy, boolean p1Passes) throws Exception {
        Path p = dir.resolve("playbook.yaml");
        Files.writeString(p, """
                playbook: ci-demo
                checks:
                  - id: echo-works
                    phase: p0
                    command: "echo ok"
                    expect: {stdout: {contains: ok}}

                  - id: config-present
                    phase: p0
                    title: "The config, file"
                    file: "%s"
                    expect: {exists: true}
                  - id: p1-echo
                    phase: p1
                    command: "echo %s"
                    expect: {stdout: {contains: fine}}
                """.formatted(dir.resolve(healthy ? "playbook.yaml" : "no-such.conf"), p1Passes ? "fine" : "poor"), StandardCharsets.UTF_8);
        return p;
    }

    private Map<String, String> env(String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("HOME", dir.toString(), "XDG_STATE_HOME", dir.resolve("state").toString()));
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return env;
    }

    @Test
    void githubAnnotatesTheFailingCheckOnItsLineAndAppendsTheStepSummary() throws Exception {
        Path pb = playbook(false);
        Path summary = dir.resolve("step-summary");
        Files.writeString(summary, "earlier step\n");
        Cli run = Cli.run(env("GITHUB_STEP_SUMMARY", summary.toString()), "audit", "-p", pb.toString(), "-f", "github", "--no-store");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        // config-present is declared on line 8 of the playbook; its title's ',' and ':' are escaped as GitHub asks
        assertThat(run.out()).contains("::error file=" + pb + ",line=8,title=config-present — The config%2C file::FAIL: ");
        assertThat(run.out()).doesNotContain("echo-works").doesNotContain("p1-echo");
        assertThat(run.out()).contains("::notice title=tria-ready::BLOCKED");
        String md = Files.readString(summary, StandardCharsets.UTF_8);
        assertThat(md).startsWith("earlier step\n").contains("BLOCKED").contains("config-present");

        Cli ok = Cli.run(env(), "audit", "-p", playbook(true).toString(), "-f", "github", "--no-store");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).doesNotContain("::error").contains("::notice title=tria-ready::READY");
    }

    @Test
    void nagiosPrintsOneStatusLineWithPerfDataAndExitsWithThePluginCode() throws Exception {
        Cli critical = Cli.run(env(), "audit", "-p", playbook(false).toString(), "-f", "nagios", "--no-store");
        assertThat(critical.exit()).as("BLOCKED is CRITICAL").isEqualTo(2);
        List<String> lines = critical.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TRIA-READY CRITICAL - BLOCKED, score ").contains(" | score=").contains(";100;;0;100")
                .contains(" pass=2 ").contains(" fail=1 ");
        assertThat(lines).contains(lines.stream().filter(l -> l.startsWith("FAIL P0 config-present: ")).findFirst().orElse("missing"));

        Cli ok = Cli.run(env(), "audit", "-p", playbook(true).toString(), "-f", "nagios", "--no-store");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).startsWith("TRIA-READY OK - READY, score 100/100, 3/3 checks passing");

        Cli warning = Cli.run(env(), "audit", "-p", playbook(true, false).toString(), "-f", "nagios", "--no-store");
        assertThat(warning.exit()).as("NOT READY is WARNING: " + warning.out()).isEqualTo(1);
        assertThat(warning.out()).startsWith("TRIA-READY WARNING - NOT READY").contains("FAIL P1 p1-echo: ");

        // a saved result re-rendered gives the same status and code
        Path json = dir.resolve("r.json");
        Cli.run(env(), "audit", "-p", playbook(false).toString(), "-o", json.toString(), "-q", "--no-store");
        Cli report = Cli.run(env(), "report", json.toString(), "-f", "nagios");
        assertThat(report.exit()).isEqualTo(2);
        assertThat(report.out()).startsWith("TRIA-READY CRITICAL");
    }

    @Test
    void outputTakesAnExplicitFormatForAFileWithoutAnExtension() throws Exception {
        Path summary = dir.resolve("GITHUB_STEP_SUMMARY");
        Path junit = dir.resolve("results");
        Cli run = Cli.run(env(), "audit", "-p", playbook(true).toString(), "-q", "--no-store", "-o", "md:" + summary, "-o", "junit:" + junit);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readString(summary)).startsWith("#").contains("READY");
        assertThat(Files.readString(junit)).startsWith("<?xml").contains("<testsuites");

        Cli bad = Cli.run(env(), "audit", "-p", playbook(true).toString(), "-q", "--no-store", "-o", dir.resolve("noext").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("cannot tell the format").contains("-o md:").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void reportFilesHonourTheUmaskSoOtherUsersCanReadThem() throws Exception {
        Path prom = dir.resolve("tria.prom");
        Cli run = Cli.run(env(), "audit", "-p", playbook(true).toString(), "-q", "--no-store", "-o", prom.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        int umask = Integer.parseInt(new String(new ProcessBuilder("sh", "-c", "umask").start().getInputStream().readAllBytes()).strip(), 8);
        int expected = 0666 & ~umask;
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(prom));
        assertThat(mode).isEqualTo(PosixFilePermissions.toString(posix(expected)));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).as("no temporary file left").isEmpty();
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> posix(int mode) {
        StringBuilder b = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) b.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        return PosixFilePermissions.fromString(b.toString());
    }

    @Test
    void asciiStandInsForAConsoleThatIsNotUtf8() {
        assertThat(ConsoleCharset.ascii("  ✓ PASS  a → b · c … ✗ FAIL ⚠️ ≥ 30 %")).isEqualTo("  + PASS  a -> b - c ... x FAIL ! >= 30 %");
    }
}
