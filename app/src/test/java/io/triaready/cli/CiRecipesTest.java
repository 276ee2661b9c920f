package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of docs/ci.md, run as the CI would run them: each `tria-ready audit` line of the GitHub
 * Actions, GitLab CI and Jenkins examples, through bash, with CI=true, no terminal and no standard
 * input, against a real HTTP server: healthy (exit 0 and the reports) and broken (exit 1, the reports
 * still written, as `if: always()` / `when: always` expect).
 */
class CiRecipesTest {
    private static final Path DOC = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent().resolve("docs/ci.md");

    @TempDir
    Path dir;

    /** The audit command of each recipe, in the doc's order: GitHub, GitLab, Jenkins. */
    static List<String> commands() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(?:run: |- |sh ')(tria-ready audit [^'\\n]*)'?$").matcher(doc);
        while (m.find()) out.add(m.group(1).strip());
        return out;
    }

    @Test
    void everyRecipeRunsAsItsCiWould() throws Exception {
        List<String> commands = commands();
        assertThat(commands).as("GitHub, GitLab and Jenkins recipes").hasSize(3);
        for (boolean healthy : new boolean[] {true, false}) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/health", x -> {
                byte[] body = (healthy ? "{\"database\": \"connected\"}" : "{\"database\": \"down\"}").getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(healthy ? 200 : 503, body.length);
                x.getResponseBody().write(body);
                x.close();
            });
            server.start();
            try {
                for (int i = 0; i < commands.size(); i++) {
                    Path work = Files.createDirectories(dir.resolve((healthy ? "healthy-" : "broken-") + i));
                    setUp(work, server.getAddress().getPort());
                    Path summary = work.resolve("step-summary.md");
                    Run r = bash(work, commands.get(i), summary);
                    assertThat(r.exit()).as(commands.get(i) + "\n" + r.out() + r.err()).isEqualTo(healthy ? 0 : 1);
                    // every report the command names is written, healthy or not
                    for (String file : List.of("tria-ready.xml", "tria-ready.json", "report.xml", "result.json", "readiness.md")) {
                        if (commands.get(i).contains(file)) assertThat(work.resolve(file)).as(file).isNotEmptyFile();
                    }
                    for (String xml : List.of("tria-ready.xml", "report.xml")) {
                        if (!commands.get(i).contains(xml)) continue;
                        Process lint = new ProcessBuilder("xmllint", "--noout", work.resolve(xml).toString()).redirectErrorStream(true).start();
                        assertThat(lint.waitFor()).as(xml + " is well-formed XML").isZero();
                        assertThat(Files.readString(work.resolve(xml))).contains("<testsuites").contains(healthy ? "failures=\"0\"" : "<failure");
                    }
                    if (commands.get(i).contains("-f github")) {
                        assertThat(r.out()).contains("::notice title=tria-ready::" + (healthy ? "READY" : "BLOCKED"));
                        if (!healthy) assertThat(r.out()).contains("::error file=playbook.yaml,line=3,title=api-healthy");
                        assertThat(Files.readString(summary)).contains(healthy ? "READY" : "BLOCKED");
                    }
                }
            } finally {
                server.stop(0);
            }
        }
    }

    private static void setUp(Path work, int port) throws Exception {
        Files.writeString(work.resolve("playbook.yaml"), """
                playbook: ci-recipes
                checks:
                  - id: api-healthy
                    phase: p0
                    http: "${http.base_url}/health"
                    expect: {status: 200, json: {"$.database": connected}}
                """);
        Files.writeString(work.resolve("targets.yaml"), "targets:\n  staging:\n    http: {base_url: \"http://127.0.0.1:" + port + "\"}\n");
    }

    private record Run(int exit, String out, String err) {}

    /** The command as a CI runs it: bash, CI=true, no terminal, stdin from /dev/null, tria-ready on PATH. */
    private Run bash(Path work, String command, Path summary) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path exe = bin.resolve("tria-ready");
        if (!Files.exists(exe)) {
            Files.writeString(exe, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                    + System.getProperty("java.class.path") + "' io.triaready.cli.Main \"$@\"\n");
            exe.toFile().setExecutable(true);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("CI", "true");
        pb.environment().put("HOME", work.toString());
        pb.environment().put("GITHUB_STEP_SUMMARY", summary.toString());
        Process p = pb.start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        String err = read(p.getErrorStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.get(), err);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
