package io.triaready.core.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlainYaml;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.YNode;
import io.triaready.builtin.BuiltIns;
import io.triaready.checks.command.CommandCheckType;
import io.triaready.core.expect.Values;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.datacheck.CheckHarness;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What expectations mean (issue 15) and how the loader takes hostile input (issue 16): commands run
 * for real on this machine, files are real files.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeaningAndInputTest {
    private final PlaybookLoader loader = new PlaybookLoader(BuiltIns.checkTypes());
    private static final CommandCheckType COMMAND = new CommandCheckType();

    private Playbook load(String yaml) {
        return loader.load(new StringReader(yaml), "pb.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
    }

    private List<String> problems(String yaml) {
        try {
            load(yaml);
        } catch (PlaybookException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected the playbook to be rejected");
    }

    private List<String> warnings(String checksYaml) {
        return load("playbook: t\nchecks:\n" + checksYaml).warnings().stream().map(Problem::toString).toList();
    }

    private static Run command(String run, String expect) {
        try (Session session = new Session()) {
            return CheckHarness.run(COMMAND, run, expect, CheckHarness.context(Duration.ofSeconds(10), CheckHarness.target(Map.of()), session, new Secrets()));
        }
    }

    // --- 1. a command must exit 0 unless expect names exit_code

    @Test
    void aCommandThatIsNotFoundFailsAnAbsenceTest() {
        Run missing = command("\"no-such-command-w15\"", "{stdout: {not_contains: ERROR}}");
        assertThat(missing.outcome()).as(missing.toString()).isEqualTo(Outcome.FAIL);
        assertThat(missing.failures()).hasSize(1);
        assertThat(missing.failures().get(0)).startsWith("exit code 127, expected 0 (expect names no exit_code); stderr: ")
                .contains("no-such-command-w15");

        assertThat(command("\"echo fine\"", "{stdout: {not_contains: ERROR}}").outcome()).isEqualTo(Outcome.PASS);
        // naming exit_code is saying what it must be: grep -c exits 1 when it counts 0
        Run counted = command("\"printf 'a\\\\nb\\\\n' | grep -c zzz\"", "{exit_code: 1, stdout: 0}");
        assertThat(counted.outcome()).as(counted.toString()).isEqualTo(Outcome.PASS);
        Run anyExit = command("\"exit 3\"", "{exit_code: {gte: 0}}");
        assertThat(anyExit.outcome()).isEqualTo(Outcome.PASS);
        Run both = command("\"echo ERROR; exit 2\"", "{stdout: {not_contains: ERROR}}");
        assertThat(both.failures()).hasSize(2);
        assertThat(both.failures().get(0)).isEqualTo("exit code 2, expected 0 (expect names no exit_code)");
        assertThat(CheckHarness.expectation(COMMAND, "{stdout: x}").describe()).containsExactly("exit_code 0 (expect names no exit_code)", "stdout \"x\"");
    }

    // --- 2. YAML 1.1 booleans

    @Test
    void wordsInExpectCompareAsWritten() {
        assertThat(command("\"echo yes\"", "{stdout: yes}").outcome()).isEqualTo(Outcome.PASS);
        assertThat(command("\"echo no\"", "{stdout: {one_of: [yes, no]}}").outcome()).isEqualTo(Outcome.PASS);
        assertThat(command("\"echo off\"", "{stdout: {one_of: [yes, on]}}").outcome()).isEqualTo(Outcome.FAIL);
        Run fails = command("\"echo maybe\"", "{stdout: y}");
        assertThat(fails.failures()).containsExactly("stdout: expected \"y\", got \"maybe\\n\"");
        // a boolean fact against a boolean word means what the word says; true/false stay booleans
        assertThat(Values.looselyEqual("yes", true)).isTrue();
        assertThat(Values.looselyEqual("off", true)).isFalse();
        assertThat(Values.looselyEqual("No", false)).isTrue();
        assertThat(YNode.parse("a: true", "x").get("a").scalar()).isEqualTo(true);
        assertThat(YNode.parse("a: yes", "x").get("a").scalar()).isEqualTo("yes");
        assertThat(YNode.parse("a: 1:30", "x").get("a").scalar()).isEqualTo("1:30"); // not 90 (sexagesimal)
    }

    @Test
    void booleanSettingsStillTakeYesAndTargetDocumentsStayYaml11() throws Exception {
        Playbook pb = load("playbook: t\nchecks:\n  - {id: a, phase: p0, destructive: yes, command: \"true\"}\n  - {id: b, phase: p0, destructive: off, command: \"true\"}\n");
        assertThat(pb.check("a").orElseThrow().destructive()).isTrue();
        assertThat(pb.check("b").orElseThrow().destructive()).isFalse();
        assertThat(problems("playbook: t\nchecks:\n  - {id: a, phase: p0, destructive: \"yes\", command: \"true\"}\n"))
                .containsExactly("pb.yaml:3:37: 'destructive' must be true or false, got a string");
        // an application reading its config with PyYAML sees yes as true: so does a check reading that file
        assertThat(PlainYaml.parse("enabled: yes\ndebug: off\n", "cfg")).isEqualTo(Map.of("enabled", true, "debug", false));
    }

    // --- 3. lints

    @Test
    void expectationsThatCannotFailAreWarnedAboutWithPositions() {
        List<String> w = warnings("""
                  - {id: a, phase: p0, command: "ls /x", expect: {stdout: {not_contains: ERROR}}}
                  - {id: b, phase: p0, command: "ls /x", expect: {stdout: {matches: ""}}}
                  - {id: c, phase: p0, command: "ls /x", expect: {stdout: {contains: ""}}}
                  - {id: d, phase: p0, command: "ls /x", expect: {json: {"$.a": {gte: -.inf}}}}
                  - {id: e, phase: p0, command: "ls /x", expect: {stdout: {one_of: []}}}
                  - {id: f, phase: p0, command: "ls /x", expect: {json: {"$.a[*]": {all: {gt: 1}}}}}
                  - {id: g, phase: p0, command: "ls /x", expect: {json: {"$.a[*]": {all: {gt: 1}, length: {gt: 0}}}}}
                  - id: h
                    phase: p0
                    command: "ls /x"
                    expect:
                  - {id: i, phase: p0, command: "ls /x", expect: {stdout: {between: [-.inf, .inf]}, exit_code: 0}}
                  - {id: j, phase: p0, command: "ls /x", expect: {stdout: {matches: "^ok$"}}}
                  - {id: k, phase: p0, command: "ls /x", expect: {json: {"$.a[*]": {length: {gte: 0}}}}}
                  - {id: l, phase: p0, metrics: "http://x/metrics", expect: {count: {gte: 1}, series: {"$[*].value": {all: {gt: 0}}}}}
                  - {id: m, phase: p0, metrics: "http://x/metrics", expect: {count: {gte: 0}, series: {"$[*].value": {all: {gt: 0}}}}}
                """);
        assertThat(w).containsExactly(
                "pb.yaml:3:50: this command check only tests that its output lacks something: a command that prints nothing (a wrong path,"
                        + " output on stderr) passes it; also test what a healthy run prints (contains, matches), or name exit_code",
                "pb.yaml:4:69: regex // matches any text (it matches the empty string): 'matches' cannot fail",
                "pb.yaml:5:70: every text contains the empty string: 'contains' cannot fail",
                "pb.yaml:6:71: 'gte: -.inf' holds for every number: this cannot fail",
                "pb.yaml:7:68: 'one_of: []' lists nothing: this can never pass",
                "pb.yaml:8:69: 'all' holds for an empty list: add 'length: {gt: 0}' beside it so that an empty list fails"
                        + " (when nothing at all should pass, say what must be absent instead: not_contains, or not: {any: ...})",
                "pb.yaml:13:12: 'expect' has no value: it tests that stdout is null, which a check hardly ever means;"
                        + " say what the check expects, or leave 'expect' out for the default (exit_code: 0)",
                "pb.yaml:14:69: 'between' -inf and +inf holds for every number: this cannot fail",
                "pb.yaml:16:69: 'length' {gte: 0} holds for any length: this cannot fail",
                // a count that must be more than 0 makes the 'all' beside it meaningful; one that may be 0 does not
                "pb.yaml:18:103: 'all' holds for an empty list: add 'length: {gt: 0}' beside it so that an empty list fails"
                        + " (when nothing at all should pass, say what must be absent instead: not_contains, or not: {any: ...})");
        // and what parses but can say nothing is an error, not a warning
        assertThat(problems("playbook: t\nchecks:\n  - {id: k, phase: p0, command: \"ls\", expect: {json: {}}}\n"))
                .containsExactly("pb.yaml:3:54: 'json: {}' says nothing: give a value, matchers or sub-keys");
        assertThat(problems("playbook: t\nchecks:\n  - {id: k, phase: p0, command: \"ls\", expect: {stdout: {lt: .nan}}}\n"))
                .containsExactly("pb.yaml:3:61: 'lt' takes a number, got NaN (no number compares with NaN: it could never pass)");
    }

    // --- 4. numbers

    @Test
    void numbersAreRangeCheckedWithPositions() {
        assertThat(problems("""
                playbook: n
                categories: {a: .nan, b: 1e309}
                defaults: {timeout: 0, retries: 99}
                checks:
                  - {id: a, phase: p0, category: a, weight: .nan, command: "true"}
                  - {id: b, phase: p0, category: b, weight: 1e309, command: "true", timeout: 9223372036854775807ms}
                  - {id: c, phase: p0, category: a, command: "true", timeout: 25h, retries: -1}
                  - {id: d, phase: p0, category: a, tcp: {host: x, port: 70000}}
                """)).containsExactly(
                "pb.yaml:2:17: category budget for 'a' must be a number greater than 0 and at most 1000000, got .nan",
                "pb.yaml:2:26: category budget for 'b' must be a number greater than 0 and at most 1000000, got 1e309",
                "pb.yaml:3:21: 'timeout': must be greater than 0",
                "pb.yaml:3:33: 'retries' must be between 0 and 10, got 99",
                "pb.yaml:5:45: 'weight' must be a finite number, got .nan",
                "pb.yaml:6:45: 'weight' must be a finite number, got 1e309",
                "pb.yaml:6:78: 'timeout': duration '9223372036854775807ms' is longer than 3650d",
                "pb.yaml:7:63: 'timeout': must be at most 1d, got 25h",
                "pb.yaml:7:77: 'retries' must be between 0 and 10, got -1",
                "pb.yaml:8:58: port 70000 is out of range (1-65535)");
    }

    @Test
    void inventoryNumbersAreRangeCheckedWithPositions(@TempDir Path dir) throws Exception {
        Path inv = dir.resolve("targets.yaml");
        Files.writeString(inv, """
                targets:
                  t:
                    ssh: {host: h, port: 70000, connect_timeout: 0s, keepalive: 0}
                    hosts: [{name: a, port: "22"}, {name: b, port: 0}]
                    http: {base_url: "http://x:99999"}
                    redis: {url: "redis://127.0.0.1:6379", db: -1}
                """);
        try {
            InventoryLoader.load(io.triaready.builtin.BuiltIns.hostConnectors(), inv, Interpolator.External.PLACEHOLDER, k -> null, new Secrets());
            throw new AssertionError("expected the inventory to be rejected");
        } catch (PlaybookException e) {
            assertThat(e.problems().stream().map(Problem::toString)).containsExactly(
                    inv + ":3:26: 'port' must be a whole number from 1 to 65535, got 70000",
                    inv + ":3:50: 'connect_timeout' must be more than 0 and at most 1d, got 0s",
                    inv + ":4:52: 'port' must be a whole number from 1 to 65535, got 0",
                    inv + ":5:22: the port of 'base_url' must be from 1 to 65535, got 99999",
                    inv + ":6:48: 'db' must be a whole number from 0 to 1000000, got -1");
        }
    }

    // --- 6. durations as people write them

    @Test
    void durationsPrintAsWritten() {
        assertThat(Durations.format(Durations.parse("3d"))).isEqualTo("3d");
        assertThat(Durations.format(Durations.parse("90m"))).isEqualTo("1h30m");
        assertThat(Durations.format(Durations.parse("2500ms"))).isEqualTo("2.5s");
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofSeconds(65))).isEqualTo("1m5s");
        assertThat(Durations.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Durations.format(Duration.ofMillis(59_960))).isEqualTo("1m");
        assertThat(Durations.format(Duration.ofDays(1).plusSeconds(1))).isEqualTo("1d1s");
        for (String s : List.of("3d", "1h30m", "2.5s", "500ms", "1m5s", "7d12h")) assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
    }

    // --- 7. expansion and secret files are bounded

    @Test
    void nestedVariablesCannotExplode() {
        StringBuilder y = new StringBuilder("playbook: bomb\nvars:\n  a0: \"xxxxxxxxxx\"\n");
        for (int i = 1; i < 10; i++) y.append("  a").append(i).append(": \"").append(("${a" + (i - 1) + "}").repeat(10)).append("\"\n");
        y.append("checks:\n  - id: a\n    phase: p0\n    command: \"echo ${a9}\"\n");
        long start = System.nanoTime();
        assertThat(problems(y.toString())).containsExactly(
                "pb.yaml:16:15: expands to more than 1048576 characters (variables that repeat each other?)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10)); // bound, not a speed test: it took 28 s and 5 GB
    }

    @Test
    void secretFilesAreSmallRegularFilesReadInBoundedTime(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        Path big = dir.resolve("big");
        Files.write(big, new byte[100_000]);
        Path ok = dir.resolve("ok");
        Files.writeString(ok, "s3cret\n");
        String yaml = "playbook: t\nchecks:\n  - id: a\n    phase: p0\n    command: \"echo ${file:/dev/zero} ${file:" + fifo + "} ${file:" + dir
                + "} ${file:" + big + "} ${file:" + dir.resolve("none") + "}\"\n";
        assertThat(problems(yaml)).containsExactly(
                "pb.yaml:5:20: cannot read secret file '/dev/zero': not a regular file",
                "pb.yaml:5:38: cannot read secret file '" + fifo + "': not a regular file",
                "pb.yaml:5:" + (38 + ("${file:" + fifo + "} ").length()) + ": cannot read secret file '" + dir + "': it is a directory",
                "pb.yaml:5:" + (38 + ("${file:" + fifo + "} ${file:" + dir + "} ").length()) + ": cannot read secret file '" + big + "': larger than 64 KiB",
                "pb.yaml:5:" + (38 + ("${file:" + fifo + "} ${file:" + dir + "} ${file:" + big + "} ").length()) + ": cannot read secret file '"
                        + dir.resolve("none") + "': no such file");
        assertThat(Interpolator.readSecretFile(ok)).isEqualTo("s3cret\n");
    }

    // --- 8. no crash: one line with a position

    @Test
    void oddShapesAreMistakesNotCrashes(@TempDir Path dir) throws Exception {
        assertThat(problems("playbook: t\ndefaults: {timeout: 0}\nchecks:\n  - {id: a, phase: p0, command: \"true\"}\n"))
                .containsExactly("pb.yaml:2:21: 'timeout': must be greater than 0");
        assertThat(problems("playbook: t\nchecks:\n  - {id: a, phase: p0, command: \"true\", expect: {stdout: {not: {{a: 1}: 2}}}}\n"))
                .containsExactly("pb.yaml:3:65: a key must be a plain string, got a mapping");
        assertThat(problems("playbook: t\nchecks:\n  - {id: a, phase: p0, command: \"true\", expect: {stdout: {not: {~: 2}}}}\n"))
                .containsExactly("pb.yaml:3:65: a key must be a plain string, got nothing (null)");
        assertThat(problems("playbook: t\n[a]: 1\nchecks: []\n")).containsExactly("pb.yaml:2:1: a key must be a plain string, got a list");

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "playbook: t\nchecks:\n  - {id: a, phase: p0, command: \"echo caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(loadFileProblems(latin1)).containsExactly(latin1 + ":3:42: not UTF-8 text (byte 0xe9): save the file as UTF-8");
        Path fifo = dir.resolve("fifo.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(loadFileProblems(fifo)).containsExactly(fifo + ": not a regular file");

        Path inv = dir.resolve("targets.yaml");
        Files.writeString(inv, "targets:\n  t:\n    ssh: {host: h, user: }\n    hosts: [{name: a, port: }]\n    http: {base_url: }\n");
        try {
            InventoryLoader.load(io.triaready.builtin.BuiltIns.hostConnectors(), inv, Interpolator.External.PLACEHOLDER, k -> null, new Secrets());
            throw new AssertionError("expected the inventory to be rejected");
        } catch (PlaybookException e) {
            assertThat(e.problems().stream().map(Problem::toString)).containsExactly(
                    inv + ":3:25: 'user' in 'ssh' has no value: give it one or leave the key out",
                    inv + ":4:28: 'port' in a host has no value: give it one or leave the key out",
                    inv + ":5:21: 'base_url' in endpoint 'http' has no value: give it one or leave the key out");
        }
    }

    private List<String> loadFileProblems(Path file) {
        try {
            loader.load(file, PlaybookLoader.Options.forValidate(Target.local(), Map.of()));
        } catch (PlaybookException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected " + file + " to be rejected");
    }
}
