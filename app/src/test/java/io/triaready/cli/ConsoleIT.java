package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in the environments cron jobs and minimal containers give it: a locale that is not
 * UTF-8, and a HOME that is not the password database's. Runs after {@code package} (an *IT class).
 */
class ConsoleIT {
    private static final Path JAR = Path.of(System.getProperty("user.dir")).resolve("target/tria-ready.jar");

    @TempDir
    Path dir;

    private record Run(int exit, byte[] out, String err) {}

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void aLocaleThatIsNotUtf8GetsAsciiGlyphsNeverQuestionMarks() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("playbook.yaml"), """
                playbook: console-demo
                checks:
                  - {id: echo-works, phase: p0, command: "echo ok", expect: {stdout: {contains: ok}}}
                  - {id: echo-wrong, phase: p1, command: "echo no", expect: {stdout: {contains: yes-please}}}
                """);
        Run c = run(Map.of("LC_ALL", "C", "HOME", home.toString()), "audit", "--no-store");
        assertThat(c.exit()).as(c.err()).isEqualTo(1);
        String out = new String(c.out(), StandardCharsets.US_ASCII);
        for (byte b : c.out()) assertThat(b & 0xff).as("only ASCII under LC_ALL=C").isLessThan(0x80);
        assertThat(out).contains("+ PASS").contains("x FAIL").contains("->").doesNotContain("?");

        Run utf8 = run(Map.of("LC_ALL", "C.UTF-8", "HOME", home.toString()), "audit", "--no-store");
        assertThat(new String(utf8.out(), StandardCharsets.UTF_8)).contains("✓ PASS").contains("✗ FAIL");
    }

    @Test
    void tildeIsTheHomeTheEnvironmentNames() throws Exception {
        Path home = Files.createDirectories(dir.resolve("another-home"));
        Files.writeString(home.resolve("marker"), "here\n");
        Files.writeString(dir.resolve("playbook.yaml"), """
                playbook: home-demo
                checks:
                  - {id: marker-in-home, phase: p0, command: "echo '${file:~/marker}'", expect: {stdout: {contains: here}}}
                """);
        Run r = run(Map.of("HOME", home.toString(), "LC_ALL", "C.UTF-8"), "audit", "--no-store", "-f", "summary");
        assertThat(new String(r.out(), StandardCharsets.UTF_8)).as(r.err()).startsWith("1 passed, 0 failed");
        assertThat(r.exit()).isZero();
    }
}
