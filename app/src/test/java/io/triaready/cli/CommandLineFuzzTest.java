package io.triaready.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the command line, in-process: argument lists built from a
 * dictionary of our commands and options plus fuzzed values. The promise to users: the exit code is
 * 0, 1 or 2 (ready, not ready, bad input) and stderr never shows a Java stack trace or exception
 * class name, unless --debug asked for one.
 *
 * <p>Safety, since this runs unattended as whoever runs the build: never {@code fix} or
 * {@code attest} (they write), an {@code audit} only of {@link #PLAYBOOK} (two {@code echo} checks)
 * on the local target and always with {@code --no-store}; every path option takes a value from a
 * fixed list inside a temporary directory, which is also HOME and XDG_STATE_HOME; a fuzzed free
 * token never starts with '-' or '@' (it could otherwise become {@code -o /anywhere} or
 * {@code -p other}), and option values are attached ({@code --x=v}) so they stay values.
 */
class CommandLineFuzzTest {
    private static final Path HOME = tempHome();
    private static final Path PLAYBOOK = HOME.resolve("tiny.yaml");
    private static final Path INVENTORY = HOME.resolve("targets.yaml");
    private static final Path STORE = HOME.resolve("store");
    private static final Map<String, String> ENV = Map.of(
            "HOME", HOME.toString(), "XDG_STATE_HOME", HOME.resolve("state").toString(),
            "XDG_CONFIG_HOME", HOME.resolve("config").toString(), "PATH", "/usr/bin:/bin", "TERM", "dumb");

    /** Read-only commands: any option and value may be fuzzed (paths still from {@link #PATHS}). */
    private static final List<String> READERS = List.of("list", "explain", "validate", "report", "diff", "history", "completion", "help", "__complete");
    private static final List<String> OPTIONS = List.of(
            "--accept-new-host-keys", "--bundled", "--debug", "--destructive", "-h", "--help", "--no-color", "--no-store",
            "-q", "--quiet", "-v", "--verbose", "-V", "--version", "--strict", "--ascii", "--fail-on-regression",
            "--up-to", "--phase", "--", "-", "--nope", "-vq", "-x");
    private static final List<String> VALUED = List.of(
            "--deadline", "--format", "--fail-under", "--concurrency", "--only", "--skip", "--phase",
            "--tag", "--target", "--timeout", "--var", "--last", "--limit", "--up-to", "--playbook");
    private static final List<String> PATH_OPTIONS = List.of("--inventory", "--attestations", "--store", "--output");
    private static final List<String> WORDS = List.of(
            "baseline", "baseline-tls", "rag-gateway", "voice-agent", "analysis-bot", "tria-aibpo", "local", "prod", "p0", "P1", "p2",
            "text", "json", "junit", "markdown", "html", "github", "nagios", "prometheus", "bash", "zsh", "1s", "0", "-1", "0s",
            "NaN", "1e309", "100", "echo-ok", "echo-fails", "word=x", "word=${env:HOME}", "=", "${", "${file:/dev/zero}",
            "99999999999999999999", "1h30m", "security", "", " ");
    private static final List<String> PATHS = List.of(
            PLAYBOOK.toString(), INVENTORY.toString(), STORE.toString(), HOME.toString(), HOME.resolve("missing.yaml").toString(),
            HOME.resolve("out.txt").toString(), "json:" + HOME.resolve("out.json"), "junit:" + HOME.resolve("out.xml"),
            "/dev/null", "/proc/nope/out.txt", "");

    /**
     * Longer than this is a hang. 5 s while fuzzing (bench/fuzz.sh, after a warm-up: the first audit in
     * a JVM loads and instruments most classes); in {@code mvn verify}, on a loaded build machine, a
     * generous 30 s so that only a real hang fails the build.
     */
    private static long slowestMs;
    private static long timedCalls;
    private static final long SLOW_MS = System.getenv("JAZZER_FUZZ") != null ? 5_000 : 30_000;

    static {
        // warm-up, not checked: class loading and Jazzer's instrumentation are not the input's cost
        for (String[] warm : List.of(new String[] {"audit", "--playbook=" + PLAYBOOK, "--no-store"}, new String[] {"validate", "--playbook=baseline"},
                new String[] {"list", "--bundled"}, new String[] {"history", "--store=" + STORE}, new String[] {"completion", "bash"})) {
            TriaReady.run(warm, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), ENV::get, Optional::empty);
        }
    }

    private static final Pattern JAVA_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");

    @FuzzTest(maxDuration = "20s")
    void commandLine(FuzzedDataProvider data) {
        boolean audit = data.consumeInt(0, 4) == 0;
        List<String> args = new ArrayList<>();
        args.add(audit ? "audit" : data.pickValue(READERS));
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            switch (data.consumeInt(0, 5)) {
                case 0 -> args.add(data.pickValue(OPTIONS));
                case 1 -> args.add(attached(data.pickValue(VALUED), data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(24)));
                case 2 -> args.add(attached(data.pickValue(PATH_OPTIONS), data.pickValue(PATHS)));
                case 3 -> args.add(data.pickValue(WORDS).replaceFirst("^-", "x"));
                case 4 -> args.add("@" + data.pickValue(List.of(HOME.toString(), "/dev/null", HOME.resolve("args.txt").toString(), "/nope")));
                default -> args.add(free(data.consumeString(32)));
            }
        }
        if (audit) {
            // only the tiny local playbook, on the local target, never stored
            args.removeIf(a -> a.startsWith("-p") || a.startsWith("--playbook") || a.startsWith("-t") || a.startsWith("--target")
                    || a.startsWith("-i") || a.startsWith("--inventory") || a.startsWith("--store") || a.startsWith("@"));
            args.add("--playbook=" + PLAYBOOK);
            args.add("--no-store");
        }
        run(args);
    }

    private static void run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int code = TriaReady.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ENV::get, Optional::empty);
        long ms = (System.nanoTime() - start) / 1_000_000;
        String stderr = err.toString(StandardCharsets.UTF_8);
        if (!Set.of(0, 1, 2).contains(code)) throw new AssertionError("exit " + code + " for " + args + "\n" + stderr);
        if (!args.contains("--debug")) {
            if (stderr.contains("\tat ")) throw new AssertionError("a stack trace for " + args + "\n" + stderr);
            var m = JAVA_NAME.matcher(stderr);
            while (m.find()) {
                String name = m.group();
                if (args.stream().noneMatch(a -> a.contains(name))) throw new AssertionError("a Java class name (" + name + ") for " + args + "\n" + stderr);
            }
        }
        if (ms > SLOW_MS) throw new AssertionError("took " + ms + " ms (over " + SLOW_MS + " ms) for " + args);
        if (++timedCalls > 50 && ms > slowestMs) { // the first calls load and instrument classes
            slowestMs = ms;
            if (System.getenv("JAZZER_FUZZ") != null) System.out.println("fuzz-slowest-ms: " + ms); // bench/fuzz.sh reports the last
        }
    }

    /** {@code --opt=value}: attached, so picocli never reads a value as an option nor the next token as this value. */
    private static String attached(String option, String value) {
        return option + "=" + value;
    }

    /** A fuzzed free token: never an option or an argument file. */
    private static String free(String s) {
        return s.isEmpty() || (s.charAt(0) != '-' && s.charAt(0) != '@') ? s : "x" + s.substring(1);
    }

    private static Path tempHome() {
        try {
            Path home = Files.createTempDirectory("tria-ready-fuzz-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(home)));
            Files.writeString(home.resolve("tiny.yaml"), """
                    playbook: tiny
                    title: Tiny fuzz playbook
                    categories: {operations: 100}
                    vars: {word: ready}
                    checks:
                      - id: echo-ok
                        phase: p0
                        category: operations
                        title: echo says ${word}
                        command: echo ready
                        timeout: 5s
                        expect: {stdout: {contains: ready}}
                      - id: echo-fails
                        phase: p1
                        category: operations
                        title: echo says something else
                        command: echo nope
                        timeout: 5s
                        expect: {stdout: {contains: ready}}
                    """);
            Files.writeString(home.resolve("targets.yaml"), """
                    targets:
                      web:
                        ssh: {host: 127.0.0.1, port: 1, user: nobody}
                    """);
            Files.writeString(home.resolve("args.txt"), "--version\n");
            Files.createDirectories(home.resolve("store"));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: best effort
        }
    }
}
