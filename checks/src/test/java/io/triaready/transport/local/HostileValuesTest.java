package io.triaready.transport.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.triaready.builtin.BuiltIns;
import io.triaready.spi.CheckType;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeException;
import io.triaready.testing.HostChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values from a playbook or inventory reach a remote shell as one literal word: paths and names that
 * try to break out of quoting (quotes, $(...), backticks, ;, newlines) must not run anything, on this
 * machine or over SSH. The canary file would be created if they did.
 */
class HostileValuesTest {
    @TempDir
    static Path dir;
    static HostChecks checks;
    static Path canary;

    @BeforeAll
    static void start() throws Exception {
        checks = HostChecks.start(dir.resolve("ssh"));
        canary = dir.resolve("pwned-" + ThreadLocalRandom.current().nextInt(1_000_000));
    }

    @AfterAll
    static void stop() {
        if (checks != null) checks.close();
    }

    @BeforeEach
    void noCanaryYet() {
        assertThat(canary).doesNotExist();
    }

    static Stream<Named<HostTransport>> hosts() { return checks.hosts().stream().map(h -> Named.of(h.name(), h)); }

    private static List<String> hostile() {
        String c = canary.toString();
        return List.of(
                "/tmp/x'; touch " + c + " #",
                "$(touch " + c + ")",
                "`touch " + c + "`",
                "x\"; touch " + c + "; echo \"",
                "a\nb; touch " + c,
                "--help; touch " + c,
                "*; touch " + c);
    }

    /** A YAML double-quoted scalar holding {@code s} exactly. */
    private static String y(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static CheckType type(String name) { return BuiltIns.checkTypes().get(name).orElseThrow(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void hostilePathsAndNamesRunNothing(HostTransport host) throws Exception {
        for (String v : hostile()) {
            assertThat(HostChecks.run(type("file"), "{path: " + y(v) + "}", null, host).fact("exists")).as(v).isEqualTo(false);
            assertThat(HostChecks.run(type("env_file"), "{path: " + y(v) + ", required: [A]}", null, host).fact("exists")).as(v).isEqualTo(false);
            assertThat(HostChecks.run(type("process"), "{name: " + y(v) + "}", null, host).fact("running")).as(v).isEqualTo(false);
            assertThat(HostChecks.run(type("cron"), "{files: [" + y(v) + "]}", null, host).fact("exists")).as(v).isEqualTo(false);
            for (String[] errorOnly : new String[][] {{"disk", "{mount: " + y(v) + "}"}, {"service", "{name: " + y(v) + "}"}}) {
                try {
                    HostChecks.run(type(errorOnly[0]), errorOnly[1], null, host);
                } catch (ProbeException expected) {
                    assertThat(expected.getMessage()).as(errorOnly[0]).isNotBlank();
                }
            }
            assertThat(canary).as("%s ran on %s", v, host.name()).doesNotExist();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void filesWithHostileNamesAreReadAsThemselves(HostTransport host) throws Exception {
        // a file name cannot hold '/', so this canary is relative: it would appear in the shell's working directory
        String relative = canary.getFileName().toString();
        Path weird = dir.resolve("we'ird $(touch " + relative + ") `touch " + relative + "` ; name\".env");
        Files.writeString(weird, "A=1\nB=\n");
        HostChecks.Result env = HostChecks.run(type("env_file"), "{path: " + y(weird.toString()) + ", required: [A, B]}", null, host);
        assertThat(env.fact("defined")).isEqualTo(List.of("A"));
        assertThat(env.fact("missing")).isEqualTo(List.of("B"));
        HostChecks.Result file = HostChecks.run(type("file"), "{path: " + y(weird.toString()) + "}", "{contains: 'A=1'}", host);
        assertThat(file.passed()).isTrue();
        assertThat(Path.of(relative)).doesNotExist();                      // LocalHost's working directory
        assertThat(checks.sshd().home().resolve(relative)).doesNotExist(); // the SSH session's
    }
}
