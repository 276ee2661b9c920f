package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellIntegrationTest {
    private static final String[] COMMANDS = {"audit", "list", "explain", "validate", "report", "diff", "history", "completion"};

    @TempDir
    Path dir;

    @Test
    void theBashScriptCompletesCommandsAndOptions() throws Exception {
        Cli r = Cli.run("completion", "bash");
        assertThat(r.exit()).as(r.err()).isZero();
        for (String c : COMMANDS) assertThat(r.out()).contains(c);
        assertThat(r.out()).contains("--fail-on-regression").contains("--no-store").contains("complete -F");
        Path script = Files.writeString(dir.resolve("tria-ready.bash"), r.out());
        // ask the real bash what it would complete
        assertThat(complete(script, "tria-ready ", "")).contains("audit", "history", "diff", "report", "completion");
        assertThat(complete(script, "tria-ready di", "di")).containsExactly("diff");
        assertThat(complete(script, "tria-ready diff --fail", "--fail")).containsExactly("--fail-on-regression");
        assertThat(complete(script, "tria-ready history --li", "--li")).containsExactly("--limit");
    }

    /**
     * Values, not only names, asked of a real bash with COMP_WORDS as bash sets them: bundled playbooks,
     * phases and formats from the script itself; targets, check ids, fix ids and tags from a real
     * tria-ready process ({@code __complete}) reading the inventory and playbook named on the line.
     */
    @Test
    void theBashScriptCompletesValues() throws Exception {
        Path script = Files.writeString(dir.resolve("tria-ready.bash"), Cli.run("completion", "bash").out());
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path exe = bin.resolve("tria-ready");
        Files.writeString(exe, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' io.triaready.cli.Main \"$@\"\n");
        exe.toFile().setExecutable(true);
        Path inv = Files.writeString(dir.resolve("targets.yaml"), "targets:\n  prod: {http: {base_url: 'http://127.0.0.1:1'}}\n  staging: {}\n");
        Path pb = Files.writeString(dir.resolve("pb.yaml"), """
                playbook: values
                checks:
                  - {id: api-up, phase: p0, tags: [http], http: "http://127.0.0.1:1/", expect: {status: 200}}
                  - {id: api-fast, phase: p1, tags: [perf], http: "http://127.0.0.1:1/", expect: {status: 200}, fix: restart-api}
                fixes:
                  - {id: restart-api, manual: "restart it"}
                """);
        String t = exe.toString();
        assertThat(values(script, t + " audit -i " + inv + " -t ")).containsExactlyInAnyOrder("local", "prod", "staging");
        assertThat(values(script, t + " audit -i " + inv + " -t pr")).containsExactly("prod");
        assertThat(values(script, t + " audit -p " + pb + " --only api-")).containsExactlyInAnyOrder("api-up", "api-fast");
        assertThat(values(script, t + " audit -p " + pb + " --skip api-up,api-f")).containsExactly("api-up,api-fast");
        assertThat(values(script, t + " audit -p " + pb + " --tag ")).containsExactlyInAnyOrder("http", "perf");
        assertThat(values(script, t + " explain -p " + pb + " ")).containsExactlyInAnyOrder("restart-api", "api-up", "api-fast");
        assertThat(values(script, t + " fix restart")).isEmpty(); // no playbook on the line, none in the directory: nothing, no error
        assertThat(values(script, t + " audit --phase ")).containsExactly("p0", "p1", "p2");
        assertThat(values(script, t + " audit -f j")).containsExactlyInAnyOrder("json", "junit");
        assertThat(values(script, t + " audit -p basel")).contains("baseline");
        assertThat(values(script, t + " di")).containsExactly("diff"); // names still come from picocli's part
    }

    /** What {@code _tria_ready_values} offers for {@code line}, the cursor at its end. */
    private java.util.List<String> values(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String program = "source '" + script + "'\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_tria_ready_values tria-ready \"${COMP_WORDS[COMP_CWORD]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void theZshScriptRunsTheBashOneThroughBashcompinit() {
        Cli r = Cli.run("completion", "zsh");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#compdef tria-ready\n").contains("bashcompinit").contains("history");
    }

    @Test
    void helpAndVersionWorkOnTheNewCommands() {
        for (String cmd : new String[] {"report", "diff", "history", "completion"}) {
            Cli help = Cli.run(cmd, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: tria-ready " + cmd);
            assertThat(Cli.run(cmd, "--version").out()).startsWith("tria-ready ");
        }
        assertThat(Cli.run("--help").out()).contains("history").contains("diff").contains("report").contains("completion");
        assertThat(Cli.run("audit", "--help").out()).contains("--store").contains("--no-store");
    }

    /** The words bash offers for {@code line} (the cursor at its end; {@code current} the word being typed). */
    private static java.util.List<String> complete(Path script, String line, String current) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String program = "source '" + script + "'\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_tria-ready tria-ready '" + current + "'\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        // stderr apart: outside a real completion, bash complains about compopt, which is harmless here
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
