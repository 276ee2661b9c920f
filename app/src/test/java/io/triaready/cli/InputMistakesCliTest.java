package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers, files and argument files from the command line: a mistake is one line and exit 2, never a crash. */
class InputMistakesCliTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void badNumbersAndFilesAreOneLineAndExitTwo() throws Exception {
        Path pb = file("pb.yaml", "playbook: t\nchecks:\n  - {id: ok, phase: p0, command: 'true'}\n");
        Path inv = file("targets.yaml", "targets:\n  t:\n    ssh: {host: h, user: }\n");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "playbook: t\ntitle: caf\u00e9\nchecks:\n  - {id: ok, phase: p0, command: 'true'}\n".getBytes(StandardCharsets.ISO_8859_1));
        List<String[]> mistakes = new ArrayList<>();
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "--fail-under", "NaN"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "--fail-under", "Infinity"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "--timeout", "9223372036854775807ms"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "--timeout", "25h"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "--deadline", "30d"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "-j", "0"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "-j", "99999999999"});
        mistakes.add(new String[] {"audit", "-p", pb.toString(), "--no-store", "-i", inv.toString(), "-t", "t"});
        mistakes.add(new String[] {"validate", "@" + dir});
        mistakes.add(new String[] {"validate", latin1.toString()});
        for (String[] args : mistakes) {
            Cli r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().filter(l -> !l.matches("\\d+ problems? found"))).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
        }
        assertThat(Cli.run("validate", "@" + dir).err()).startsWith("tria-ready: argument file @" + dir + ": it is a directory");
        assertThat(Cli.run("validate", latin1.toString()).err()).startsWith(latin1 + ":2:11: not UTF-8 text (byte 0xe9)");
        assertThat(Cli.run("validate", "-i", inv.toString(), pb.toString()).err())
                .startsWith(inv + ":3:25: 'user' in 'ssh' has no value");
    }

    @Test
    void strictValidationRefusesExpectationsThatCannotFail() throws Exception {
        Path pb = file("lint.yaml", "playbook: t\nchecks:\n  - {id: a, phase: p0, command: 'ls /srv', expect: {stdout: {matches: '.*'}}}\n");
        Cli lenient = Cli.run("validate", pb.toString());
        assertThat(lenient.exit()).isZero();
        assertThat(lenient.out()).contains("ok    " + pb + ": 1 checks, 0 fixes, 1 warning");
        assertThat(lenient.err()).contains(pb + ":3:71: warning: regex /.*/ matches any text (it matches the empty string): 'matches' cannot fail")
                .contains("1 warning (validate --strict refuses them)");
        Cli strict = Cli.run("validate", "--strict", pb.toString());
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.out()).contains("fail  " + pb);
        assertThat(strict.err()).contains("1 warning: refused with --strict");
    }

    @Test
    void theBaselinesPassStrictValidation() {
        Cli r = Cli.run("validate", "--strict", "baseline", "baseline-tls");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning");
    }
}
