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
