package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report that cannot be written is not a silent success (exit 73, one line, the other reports still
 * written), and an empty value for an option is a mistake (exit 2, one line), never the current directory.
 */
class ReportNotWrittenTest {
    @TempDir
    Path dir;

    private Path playbook(String command) throws Exception {
        return Files.writeString(dir.resolve("pb.yaml"), "playbook: report-files\nchecks:\n  - {id: a, phase: p0, command: '" + command + "'}\n");
    }

    @Test
    void aReadyRunWhoseReportCannotBeWrittenExits73AfterWritingTheOthers() throws Exception {
        Path pb = playbook("true");
        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        // as root a read-only directory is still writable: a path under a file and /proc are not, for anyone
        for (String unwritable : List.of(aFile.resolve("result.json").toString(), "/proc/tria-ready-result.json")) {
            Path ok = dir.resolve("ok.json");
            Files.deleteIfExists(ok);
            Cli r = Cli.run("audit", "-p", pb.toString(), "--no-store", "-f", "summary", "-o", unwritable, "-o", ok.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.REPORT_NOT_WRITTEN);
            assertThat(r.out()).isEqualTo("1 passed, 0 failed\n");
            assertThat(ok).as("the other report").exists();
            assertThat(Files.readString(ok)).contains("\"verdict\" : \"READY\"");
            assertThat(r.err().lines()).singleElement().asString().startsWith("tria-ready: cannot write " + unwritable + ": ");
        }
        assertThat(Cli.run("audit", "-p", pb.toString(), "--no-store", "-q", "-o", aFile.resolve("r.json").toString()).err())
                .isEqualTo("tria-ready: cannot write " + aFile.resolve("r.json") + ": " + aFile + " is not a directory\n");
    }

    @Test
    void aNotReadyRunGetsTheSameCodeAndNagiosStaysWithinItsFour() throws Exception {
        Path under = Files.writeString(dir.resolve("a-file"), "x").resolve("r.json");
        Cli failing = Cli.run("audit", "-p", playbook("false").toString(), "--no-store", "-q", "-o", under.toString());
        assertThat(failing.exit()).as(failing.err()).isEqualTo(ExitCodes.REPORT_NOT_WRITTEN);

        Cli nagios = Cli.run("audit", "-p", playbook("true").toString(), "--no-store", "-f", "nagios", "-o", under.toString());
        assertThat(nagios.out()).startsWith("TRIA-READY OK");
        assertThat(nagios.exit()).as("UNKNOWN, not OK").isEqualTo(3);
        Cli critical = Cli.run("audit", "-p", playbook("false").toString(), "--no-store", "-f", "nagios", "-o", under.toString());
        assertThat(critical.exit()).isEqualTo(2);
    }

    @Test
    void reportGetsTheSameCodeWhenItsFileCannotBeWritten() throws Exception {
        Path saved = dir.resolve("saved.json");
        assertThat(Cli.run("audit", "-p", playbook("true").toString(), "--no-store", "-q", "-o", saved.toString()).exit()).isZero();
        Path under = Files.writeString(dir.resolve("a-file"), "x").resolve("r.html");
        Cli r = Cli.run("report", saved.toString(), "--store", dir.resolve("store").toString(), "-q", "-o", under.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.REPORT_NOT_WRITTEN);
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void anEmptyValueIsAMistakeNotTheCurrentDirectory() throws Exception {
        Path pb = playbook("true");
        // the current directory holds a playbook: -p "" must not find it
        for (List<String> args : List.of(
                List.of("audit", "-p", ""), List.of("audit", "-p", pb.toString(), "-i", ""), List.of("audit", "-p", pb.toString(), "-t", ""),
                List.of("audit", "-p", pb.toString(), "-o", ""), List.of("audit", "-p", pb.toString(), "--store", ""),
                List.of("audit", "--playbook=", "--no-store"), List.of("validate", "-p", ""), List.of("list", "-p", ""),
                List.of("history", "--store", ""), List.of("report", "x.json", "-o", ""))) {
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(args + ": " + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err().lines()).as(args.toString()).singleElement().asString().contains("needs a").contains("not an empty string");
            assertThat(r.out()).isEmpty();
        }
        assertThat(Cli.run("audit", "-p", "").err())
                .isEqualTo("tria-ready audit: option '--playbook' needs a NAME|PATH, not an empty string (see 'tria-ready audit --help')\n");
        // completion asks with the word being typed, which is often empty
        assertThat(Cli.run("__complete", "checks", "-p", "").exit()).isZero();
    }
}
