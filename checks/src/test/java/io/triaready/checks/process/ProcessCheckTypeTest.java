package io.triaready.checks.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.triaready.spi.ExecResult;
import io.triaready.spi.HostTransport;
import io.triaready.testing.HostChecks;
import io.triaready.transport.local.LocalHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real processes, found on this machine directly and over SSH. */
class ProcessCheckTypeTest {
    static final ProcessCheckType TYPE = new ProcessCheckType();

    @TempDir
    static Path dir;
    static HostChecks checks;
    static String shortName;
    static String longName;
    static Process shortProc;
    static Process longProc;
    static String oddName;
    static Process oddProc;

    @BeforeAll
    static void start() throws Exception {
        checks = HostChecks.start(dir);
        int n = ThreadLocalRandom.current().nextInt(1000, 9999);
        shortName = "trsl" + n;                         // within the kernel's 15 characters
        longName = "tria-long-process-" + n;            // beyond them
        shortProc = spawn(shortName);
        longProc = spawn(longName);
        oddName = "t.r(s)" + n;                        // regex characters in a process name
        oddProc = spawn(oddName);
    }

    /** A copy of sleep under another name, so the process has a name nothing else on the machine has. */
    private static Process spawn(String name) throws Exception {
        Path bin = Files.copy(Path.of("/bin/sleep"), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        bin.toFile().setExecutable(true);
        return new ProcessBuilder(bin.toString(), "300").start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : new Process[] {shortProc, longProc, oddProc}) {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        if (checks != null) checks.close();
    }

    static Stream<Named<HostTransport>> hosts() { return checks.hosts().stream().map(h -> Named.of(h.name(), h)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void findsARunningProcessByName(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, shortName, null, host);
        assertThat(r.passed()).isTrue();
        assertThat(r.fact("running")).isEqualTo(true);
        assertThat(r.fact("count")).isEqualTo(1L);
        assertThat(r.fact("pids")).isEqualTo(List.of(shortProc.pid()));
        assertThat(r.notes()).containsExactly("1 running: pid " + shortProc.pid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void namesLongerThanTheKernelKeepsAreMatchedOnTheirFirst15Characters(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, longName, null, host);
        assertThat(r.fact("pids")).isEqualTo(List.of(longProc.pid()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aNameIsMatchedLiterallyNotAsARegex(HostTransport host) throws Exception {
        assertThat(HostChecks.run(TYPE, "'" + oddName + "'", null, host).fact("pids")).isEqualTo(List.of(oddProc.pid()));
        assertThat(HostChecks.run(TYPE, "'" + oddName.replace('.', 'x') + "'", null, host).fact("running")).isEqualTo(false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void filtersByUser(HostTransport host) throws Exception {
        assertThat(HostChecks.run(TYPE, "{name: " + shortName + ", user: root}", null, host).fact("count")).isEqualTo(1L);
        HostChecks.Result other = HostChecks.run(TYPE, "{name: " + shortName + ", user: nobody}", null, host);
        assertThat(other.fact("running")).isEqualTo(false);
        assertThat(other.failures()).containsExactly("running: expected true, got false");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aProcessThatDoesNotRunFails(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, "{name: no-such-proc}", null, host);
        assertThat(r.fact("running")).isEqualTo(false);
        assertThat(r.fact("count")).isEqualTo(0L);
        assertThat(r.fact("pids")).isEqualTo(List.of());
        assertThat(r.passed()).isFalse();
        assertThat(HostChecks.run(TYPE, "{name: no-such-proc}", "{running: false}", host).passed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aPatternMatchesTheCommandLineButNotTheCheckItself(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, "{pattern: '" + shortName + " 30[0-9]'}", null, host);
        assertThat(r.fact("pids")).isEqualTo(List.of(shortProc.pid()));
    }

    @Test
    void psIsTheFallbackWherePgrepIsMissing() throws Exception {
        // the ps branch of the script, run for real, parsed as the probe would
        ExecResult ps = LocalHost.INSTANCE.exec("ps -e -o pid= -o user= -o comm=", null, Duration.ofSeconds(10));
        ExecResult asProbeSees = new ExecResult(0, "@@tria:self 1\n@@tria:ps\n" + ps.stdout(), "", Duration.ZERO);
        assertThat(new ProcessCheckType.ProcessProbe(shortName, null, null).parse(asProbeSees, "local")).containsExactly(shortProc.pid());
        assertThat(new ProcessCheckType.ProcessProbe(longName, null, "root").parse(asProbeSees, "local")).containsExactly(longProc.pid());
        assertThat(new ProcessCheckType.ProcessProbe(shortName, null, "nobody").parse(asProbeSees, "local")).isEmpty();
    }

    @Test
    void mistakesAreReportedAtTheirPlace() {
        assertThat(HostChecks.problems(TYPE, "{user: root}")).containsExactly(
                "1:1: process check needs 'name' (exact process name) or 'pattern' (regex on the command line)");
        assertThat(HostChecks.problems(TYPE, "{pattern: 'a(b'}")).singleElement().asString().startsWith("1:11: invalid regular expression");
        assertThat(HostChecks.problems(TYPE, "{name: x, pattern: y}")).containsExactly("1:11: give either 'name' or 'pattern', not both");
        assertThat(HostChecks.problems(TYPE, "{name: x, usr: root}")).singleElement().asString().contains("unknown key 'usr'").contains("did you mean");
    }
}
