package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness plan, run for real: staging/up.sh brings up a TRIA-shaped stack on loopback (nginx,
 * the backend, an sshd "server", the real PostgreSQL and Redis) in the broken state plan 000 describes.
 * The bundled tria-aibpo playbook finds it BLOCKED with exactly those problems, its fixes repair them,
 * and the next audit is READY, with the history showing the score rise.
 */
class StagingEndToEndTest {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    static Path state;
    static Map<String, String> env;

    @TempDir
    static Path dir;

    @BeforeAll
    static void up() throws Exception {
        state = dir.resolve("staging");
        env = Map.of("STAGING_STATE", state.toString(), "STAGING_SSH_PORT", Integer.toString(freePort()),
                "STAGING_HTTP_PORT", Integer.toString(freePort()), "STAGING_BACKEND_PORT", Integer.toString(freePort()),
                "STAGING_DB", "tria_staging_e2e_" + Long.toHexString(System.nanoTime()));
        String out = script("up.sh");
        assertThat(out).as(out).contains("staging up (broken, as the plan found it)");
    }

    @AfterAll
    static void down() throws Exception {
        if (env != null) script("down.sh");
    }

    static String script(String name) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("staging").resolve(name).toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(name + ": " + out).isZero();
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Cli tria(String... args) {
        String[] common = {"-p", "tria-aibpo", "-i", state.resolve("targets.yaml").toString(), "-t", "staging", "--store", dir.resolve("store").toString(), "--no-color"};
        String[] all = new String[args.length + common.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(common, 0, all, args.length, common.length);
        return Cli.run(all);
    }

    private static List<String> notPassing(JsonNode result) {
        List<String> out = new java.util.ArrayList<>();
        result.path("checks").forEach(c -> {
            String s = c.path("status").asText();
            if (!s.equals("pass") && !s.equals("flaky") && !s.equals("skipped")) out.add(c.path("id").asText() + ":" + s);
        });
        return out;
    }

    @Test
    void blockedThenFixedThenReady() throws Exception {
        Path before = dir.resolve("before.json");
        Cli audit1 = tria("audit", "--phase", "p0", "-o", before.toString());
        assertThat(audit1.exit()).as(audit1.out() + audit1.err()).isEqualTo(1);
        JsonNode r1 = new ObjectMapper().readTree(before.toFile());
        assertThat(r1.path("verdict").asText()).isEqualTo("BLOCKED");
        // exactly the plan's problems: ChromaDB (and what it takes down), the monitoring routes, auto-restart, the cron
        assertThat(notPassing(r1)).containsExactlyInAnyOrder(
                "chromadb-connected:fail", "health-all-services:fail", "chatbot-answers:blocked", "context-turn-1:blocked", "context-retained:blocked",
                "metrics-exposed:fail", "docs-exposed:fail", "openapi-exposed:fail",
                "auto-restart-configured:fail",
                "health-check-cron:fail");

        Cli fix = tria("fix", "--failed", "--phase", "p0", "--yes");
        assertThat(fix.exit()).as(fix.out() + fix.err()).isZero();
        assertThat(fix.out()).contains("Fix chromadb: FIXED").contains("Fix nginx-monitoring-routes: FIXED")
                .contains("Fix auto-restart: FIXED").contains("Fix health-check-cron: FIXED")
                .contains("chromadb-connected  FAIL → PASS").contains("auto-restart-configured  FAIL → PASS");
        // the files on the "server" really changed
        Path srv = state.resolve("srv");
        assertThat(Files.readString(srv.resolve("etc/systemd/system/tria-aibpo.service"))).contains("Restart=always").contains("RestartSec=10");
        assertThat(srv.resolve("etc/cron.d/tria-healthcheck")).exists();
        assertThat(srv.resolve("opt/tria/data/chromadb/collections.json")).exists();

        Path after = dir.resolve("after.json");
        Cli audit2 = tria("audit", "--phase", "p0", "-o", after.toString());
        JsonNode r2 = new ObjectMapper().readTree(after.toFile());
        assertThat(notPassing(r2)).isEmpty();
        // every P0 check that ran passes; a P0 drill that was not run (destructive) keeps the verdict from READY, and is named
        List<String> p0NotRun = new java.util.ArrayList<>();
        r2.path("checks").forEach(c -> { if (c.path("phase").asText().equals("p0") && c.path("status").asText().equals("skipped")) p0NotRun.add(c.path("id").asText()); });
        if (p0NotRun.isEmpty()) {
            assertThat(r2.path("verdict").asText()).isEqualTo("READY");
            assertThat(audit2.exit()).as(audit2.out()).isZero();
        } else {
            assertThat(r2.path("verdict").asText()).isEqualTo("INCOMPLETE");
            assertThat(audit2.exit()).as(audit2.out()).isEqualTo(1);
            assertThat(audit2.out()).contains("Verdict  INCOMPLETE").contains(p0NotRun.get(0)).contains("destructive: runs only with --destructive");
        }
        assertThat(audit2.out()).contains("Fixes since the previous audit").contains("chromadb  FIXED");

        Cli history = Cli.run("history", "-t", "staging", "-p", "tria-aibpo", "--store", dir.resolve("store").toString(), "--format", "json");
        assertThat(history.exit()).as(history.err()).isZero();
        JsonNode h = new ObjectMapper().readTree(history.out());
        List<Double> scores = new java.util.ArrayList<>();
        h.findValues("score").forEach(n -> { if (n.isNumber()) scores.add(n.asDouble()); });
        assertThat(scores).as(history.out()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(scores.get(scores.size() - 1)).isEqualTo(100.0);
        assertThat(scores.get(0)).isLessThan(100.0);
    }
}
