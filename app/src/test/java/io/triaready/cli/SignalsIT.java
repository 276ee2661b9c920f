package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and an early SIGINT on the packaged jar, as a service manager or a CI runner sends them:
 * the run stops, checks in flight are stopped, the report of what exists is written marked
 * interrupted, and the exit code is 128 + the signal (143, 130). Runs after {@code package}.
 */
class SignalsIT {
    private static final Path JAR = Path.of(System.getProperty("user.dir")).resolve("target/tria-ready.jar");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    record Ended(int exit, String out, String err, JsonNode report) {}

    @Test
    void sigtermStopsTheRunWritesThePartialReportAndExits143() throws Exception {
        Path started = dir.resolve("started");
        Path pb = Files.writeString(dir.resolve("pb.yaml"), "playbook: signals\nchecks:\n  - {id: quick, phase: p0, command: 'true'}\n"
                + "  - {id: slow, phase: p1, command: 'touch " + started + "; sleep 5', depends_on: [quick]}\n"
                + "  - {id: after, phase: p2, command: 'true', depends_on: [slow]}\n");
        Process p = start(List.of(), pb);
        Ended e = signalWhen("TERM", p, () -> Files.exists(started));
        assertThat(e.exit()).as(e.err()).isEqualTo(ExitCodes.TERMINATED);
        assertThat(e.report().path("interrupted").asBoolean()).isTrue();
        assertThat(status(e, 0)).isEqualTo("pass");
        assertThat(status(e, 1)).isEqualTo("error");
        assertThat(e.report().path("checks").get(1).path("message").asText()).isEqualTo("interrupted");
        assertThat(status(e, 2)).isEqualTo("blocked");
        assertThat(e.out()).contains("Interrupted: this report is partial.");
        assertThat(e.err()).doesNotContain("Exception");
    }

    /**
     * SIGINT as soon as the command line is about to be read (picocli's model of {@code audit} is built,
     * the playbook not yet loaded): every check is reported interrupted; none ran to its end.
     */
    @Test
    void sigintBeforeTheEngineStartedStillWritesTheReportOfEveryCheck() throws Exception {
        Path classes = dir.resolve("classes.log");
        Path pb = Files.writeString(dir.resolve("pb.yaml"), "playbook: signals\nchecks:\n  - {id: first, phase: p0, command: 'sleep 5'}\n"
                + "  - {id: second, phase: p0, command: 'sleep 5'}\n  - {id: third, phase: p1, command: 'true', depends_on: [first]}\n");
        // the JVM logs each class it loads: NoEmptyValues is loaded just before picocli parses the command
        // line, when the command's model is built and before the engine exists
        Process p = start(List.of("-Xlog:class+load=info:file=" + classes), pb);
        Ended e = signalWhen("INT", p, () -> Files.exists(classes) && Files.readString(classes).contains("io.triaready.cli.TriaReady$NoEmptyValues "));
        assertThat(e.exit()).as(e.err()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(e.report().path("interrupted").asBoolean()).isTrue();
        assertThat(status(e, 0)).isEqualTo("error");
        assertThat(e.report().path("checks").get(0).path("message").asText()).startsWith("interrupted");
        assertThat(status(e, 1)).isEqualTo("error");
        assertThat(e.report().path("checks").get(1).path("message").asText()).startsWith("interrupted");
        assertThat(status(e, 2)).isEqualTo("blocked");
        assertThat(e.out()).contains("Interrupted: this report is partial.");
    }

    private static String status(Ended e, int check) {
        return e.report().path("checks").get(check).path("status").asText();
    }

    private Process start(List<String> jvmOptions, Path pb) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString(), "audit", "-p", pb.toString(), "--no-store", "--no-color", "--timeout", "60s",
                "-o", dir.resolve("result.json").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("CI");
        return builder.start();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private Ended signalWhen(String signal, Process p, Condition when) throws Exception {
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!when.holds() && p.isAlive() && System.nanoTime() < until) Thread.sleep(5);
            assertThat(p.isAlive()).as("still running when the signal is sent").isTrue();
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            // a guard against a hung process, not a timing assertion
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits after SIG" + signal).isTrue();
            Path result = dir.resolve("result.json");
            assertThat(result).as("the partial report; stderr: " + err.join()).exists();
            return new Ended(p.exitValue(), out.join(), err.join(), new ObjectMapper().readTree(result.toFile()));
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }, r -> {
            Thread t = new Thread(r, "drain");
            t.setDaemon(true);
            t.start();
        });
    }
}
