package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The man pages in docs/man (AsciiDoc, one per command, by picocli's ManPageGenerator) must match
 * the commands. Regenerate them after changing a command or an option:
 * <pre>mvn -q -B -o -pl app -am test -Dtest=ManPagesTest -Dsurefire.failIfNoSpecifiedTests=false -Dtria-ready.man.write=true</pre>
 * and turn them into troff with {@code asciidoctor -b manpage docs/man/*.adoc} if wanted.
 */
class ManPagesTest {
    private static final String WRITE = "tria-ready.man.write";

    @Test
    void docsManHasAnUpToDatePagePerCommand() throws Exception {
        Path man = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent().resolve("docs/man");
        Map<String, String> pages = pages();
        assertThat(pages.keySet()).contains("tria-ready.adoc", "tria-ready-audit.adoc", "tria-ready-history.adoc", "tria-ready-diff.adoc",
                "tria-ready-report.adoc", "tria-ready-completion.adoc");
        assertThat(pages.get("tria-ready-audit.adoc")).contains("= tria-ready-audit(1)").contains("*--no-store*").contains("*--store*=_DIR|URL_");
        if (Boolean.getBoolean(WRITE)) {
            Files.createDirectories(man);
            try (var old = Files.list(man)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".adoc")).toList()) if (!pages.containsKey(p.getFileName().toString())) Files.delete(p);
            }
            for (Map.Entry<String, String> e : pages.entrySet()) Files.writeString(man.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : pages.entrySet()) {
            Path file = man.resolve(e.getKey());
            if (!Files.isRegularFile(file) || !comparable(Files.readString(file, StandardCharsets.UTF_8)).equals(comparable(e.getValue()))) stale.add(e.getKey());
        }
        try (var existing = Files.list(man)) {
            existing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".adoc") && !pages.containsKey(n)).forEach(n -> stale.add(n + " (no such command)"));
        }
        assertThat(stale).as("docs/man is out of date; regenerate with: mvn -q -B -o -pl app -am test -Dtest=ManPagesTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE + "=true").isEmpty();
    }

    /** The troff pages the release ships: every command has one, with the sections a man page has, and groff reads them without a warning. */
    @Test
    void troffPagesHaveEverySectionAndRenderWithoutWarnings() throws Exception {
        Map<String, String> roff = ManPages.pages("9.9.9");
        assertThat(roff.keySet()).containsAll(pages().keySet().stream().map(n -> n.replace(".adoc", ".1")).toList());
        Path dir = Files.createTempDirectory("man");
        try {
            for (Map.Entry<String, String> e : roff.entrySet()) {
                String page = e.getValue();
                assertThat(page).as(e.getKey()).contains(".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH FILES", ".SH ENVIRONMENT",
                        ".SH EXIT STATUS").contains("tria\\-ready 9.9.9");
                if (!e.getKey().equals("tria-ready-help.1")) assertThat(page).as(e.getKey()).contains(".SH EXAMPLES");
                Path file = dir.resolve(e.getKey());
                Files.writeString(file, page, StandardCharsets.UTF_8);
                Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", file.toString()).redirectErrorStream(true).start();
                String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(groff.waitFor()).as(e.getKey() + ": " + warnings).isZero();
                assertThat(warnings).as(e.getKey()).isEmpty();
            }
            // the options come from the model: audit's page documents --fail-under with its paramLabel
            assertThat(roff.get("tria-ready-audit.1")).contains("\\fB\\-\\-fail\\-under\\fR \\fISCORE\\fR");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    /** File name → AsciiDoc man page, for the top command and every visible subcommand. */
    static Map<String, String> pages() {
        CommandLine root = TriaReady.newCommandLine(k -> null, Optional::empty);
        Map<String, String> out = new LinkedHashMap<>();
        add(root, out);
        return out;
    }

    private static void add(CommandLine cl, Map<String, String> out) {
        StringWriter w = new StringWriter();
        ManPageGenerator.writeSingleManPage(new PrintWriter(w), cl.getCommandSpec());
        out.put(cl.getCommandSpec().qualifiedName("-") + ".adoc", w.toString().replace("\r\n", "\n"));
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && !out.containsKey(sub.getCommandSpec().qualifiedName("-") + ".adoc")) add(sub, out);
        }
    }

    /** The version lines change with every release; they do not make a page stale. */
    private static String comparable(String page) {
        return page.lines().filter(l -> !l.startsWith(":revnumber:") && !l.startsWith(":mansource:")).reduce("", (a, b) -> a + b + "\n");
    }
}
