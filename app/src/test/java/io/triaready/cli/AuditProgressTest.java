package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live progress during a real audit, on a virtual terminal that shares the report's output stream. */
class AuditProgressTest {
    private static final String CLEAR_TO_END = "\u001b[J";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path pb;

    @BeforeEach
    void setUp() throws Exception {
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        pb = dir.resolve("pb.yaml");
        Files.writeString(pb, """
                playbook: progress
                title: Progress test
                checks:
                  - {id: quick, phase: p0, command: 'true'}
                  - {id: broken, phase: p1, command: 'false'}
                  - {id: slow, phase: p1, command: 'sleep 0.6'}
                """);
    }

    /** The whole byte stream a user's terminal would receive: progress and report interleaved as written. */
    private String audit(String... extra) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Terminal terminal = new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(new byte[0]), stdout, StandardCharsets.UTF_8);
        terminal.setSize(new Size(100, 30));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = concat(new String[] {"audit", "-p", pb.toString()}, extra);
        int code = TriaReady.run(args, stdout, new PrintStream(err, true, StandardCharsets.UTF_8), env::get, () -> Optional.of(terminal));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void progressIsDrawnWhileChecksRunAndClearedBeforeTheReport() throws Exception {
        String screen = audit();
        int report = screen.indexOf("Progress test (progress)");
        assertThat(report).as(screen).isPositive();
        String progress = screen.substring(0, report);
        String after = screen.substring(report);
        assertThat(progress).contains("checks").containsPattern("running: slow \\d\\.\\ds").contains("✗ broken  exit_code: expected 0, got 1");
        assertThat(progress).as("the last thing before the report erases the progress lines").endsWith(CLEAR_TO_END);
        assertThat(after).doesNotContain(CLEAR_TO_END).doesNotContain("running:").doesNotContain("3/3 checks");
        assertThat(after).contains("Verdict  NOT READY");
    }

    @Test
    void noProgressInCiWithQuietOrAnotherFormat() throws Exception {
        env.put("CI", "true");
        String ci = audit();
        assertThat(ci).doesNotContain("checks ·").doesNotContain(CLEAR_TO_END).startsWith("Progress test (progress)");
        env.remove("CI");
        assertThat(audit("-q")).isEmpty();
        String json = audit("--format", "json");
        assertThat(json).startsWith("{").doesNotContain(CLEAR_TO_END);
    }

    /**
     * Ctrl-C on a real pseudo-terminal (util-linux script): the progress is shown, and jline must not
     * take SIGINT away from the JVM, or the partial report and exit code 130 would be lost.
     */
    @Test
    void ctrlCOnARealTerminalStillWritesThePartialReportAndExits130() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")) && System.getProperty("os.name").startsWith("Linux"), "needs util-linux script");
        Path started = dir.resolve("started");
        Files.writeString(pb, "playbook: progress\ntitle: Progress test\nchecks:\n  - {id: quick, phase: p0, command: 'true'}\n"
                + "  - {id: long, phase: p1, command: 'touch " + started + "; sleep 30'}\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", List.of(java, "-cp", "'" + System.getProperty("java.class.path") + "'", Main.class.getName(),
                "audit", "-p", "'" + pb + "'", "--timeout", "60s", "--no-store", "--no-color"));
        ProcessBuilder pbuilder = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null").redirectErrorStream(true);
        pbuilder.environment().remove("CI");
        pbuilder.environment().put("TERM", "xterm-256color");
        Process p = pbuilder.start();
        try {
            long until = System.currentTimeMillis() + 20_000;
            while (!Files.exists(started) && System.currentTimeMillis() < until) Thread.sleep(50);
            assertThat(started).as("the long check started").exists();
            Thread.sleep(500); // a few progress redraws
            ProcessHandle jvm = p.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst().orElseThrow();
            new ProcessBuilder("kill", "-INT", Long.toString(jvm.pid())).start().waitFor();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isEqualTo(130);
            assertThat(output).contains("running: long").contains("Interrupted: this report is partial.");
            assertThat(output).contains("Progress test (progress)");
            assertThat(output.substring(output.indexOf("Progress test (progress)"))).doesNotContain("running: long");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
