package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real prometheus-node-exporter, running as its own user (not ours), reads the .prom file an
 * audit writes into its textfile directory, and serves tria-ready's metrics: what a team's monitoring
 * does. Before report files honoured the umask they were 0600, and the exporter could not read them.
 */
class NodeExporterTest {
    private static final Path EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");

    @TempDir
    Path dir;

    @Test
    void nodeExporterAsItsOwnUserServesTheAuditsMetrics() throws Exception {
        assumeTrue(Files.isExecutable(EXPORTER), "prometheus-node-exporter is installed by .ci/run");
        String user = exporterUser();
        java.util.Set<java.nio.file.attribute.PosixFilePermission> parentBefore = Files.getPosixFilePermissions(dir.getParent());
        Path textfiles = Files.createDirectories(dir.resolve("textfile"));
        // the exporter's user must be able to reach the directory, as /var/lib/prometheus/node-exporter would be:
        // the test's own directories only. (It used to walk up to dir's parent too, which is /tmp, and left
        // /tmp 0755 without its sticky bit on every machine that ran the suite.)
        for (Path p = textfiles; p != null && p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path playbook = dir.resolve("playbook.yaml");
        Files.writeString(playbook, """
                playbook: exporter-demo
                checks:
                  - {id: echo-works, phase: p0, command: "echo ok", expect: {stdout: {contains: ok}}}
                  - {id: echo-wrong, phase: p1, command: "echo no", expect: {stdout: {contains: yes-please}}}
                """, StandardCharsets.UTF_8);
        Cli audit = Cli.run(Map.of("HOME", dir.toString()), "audit", "-p", playbook.toString(), "-q", "--no-store",
                "-o", textfiles.resolve("tria-ready.prom").toString());
        assertThat(audit.exit()).as(audit.err()).isEqualTo(1);

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = List.of("runuser", "-u", user, "--", EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory=" + textfiles);
        Process exporter = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("exporter.log").toFile()).start();
        try {
            String metrics = scrape(port, exporter);
            assertThat(metrics).as(Files.readString(dir.resolve("exporter.log")))
                    .containsPattern("(?m)^node_textfile_scrape_error 0$");
            assertThat(metrics).containsPattern("(?m)^tria_ready_score\\{[^}]*playbook=\"exporter-demo\"[^}]*} [0-9.e+]+$");
            assertThat(metrics).containsPattern("(?m)^tria_ready_check_status\\{[^}]*check=\"echo-wrong\"[^}]*status=\"fail\"[^}]*} 1$");
        } finally {
            exporter.destroy();
            if (!exporter.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) exporter.destroyForcibly();
        }
        assertThat(Files.getPosixFilePermissions(dir.getParent())).as("the machine's " + dir.getParent() + " is left as it was").isEqualTo(parentBefore);
    }

    private static String exporterUser() throws IOException, InterruptedException {
        for (String u : List.of("prometheus", "nobody")) {
            if (new ProcessBuilder("id", u).start().waitFor() == 0) return u;
        }
        throw new IllegalStateException("no prometheus or nobody user");
    }

    private static String scrape(int port, Process exporter) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build();
        Exception last = null;
        for (int i = 0; i < 100 && exporter.isAlive(); i++) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return r.body();
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node exporter did not answer on port " + port + " (alive: " + exporter.isAlive() + ")", last);
    }
}
