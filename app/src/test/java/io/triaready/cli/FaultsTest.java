package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a target, end to end through {@code audit} (docs/faults.md lists every fault and its test):
 * each gives its ERROR within its check's timeout + 1 s, the run completes and the report is written.
 * Many faults in one run, as a broken production target would show them at once; the sizes that
 * would hurt (200 MB of stdout, a 1 GB body) are streamed, never held, by the test and the server.
 */
class FaultsTest {
    /** The bound of "within the timeout": the timeout plus one second. */
    private static final long SLACK_MS = 1000;

    @TempDir
    Path dir;

    @Test
    void manyFaultsInOneRunEachAnErrorWithinItsTimeoutAndTheReportIsWritten() throws Exception {
        AtomicLong gigabyteServed = new AtomicLong();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faults-http");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/hang", x -> sleepQuietly(30_000)); // headers never come
        http.createContext("/trickle", x -> {                    // one byte every 200 ms, forever
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                for (int i = 0; i < 150; i++) {
                    out.write('x');
                    out.flush();
                    sleepQuietly(200);
                }
            } catch (IOException clientGone) {
                // the check gave up: that is the point
            }
        });
        http.createContext("/gigabyte", x -> {                   // 1 GB, streamed: neither side may hold it
            x.sendResponseHeaders(200, 1L << 30);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = x.getResponseBody()) {
                for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                    out.write(chunk);
                    gigabyteServed.addAndGet(chunk.length);
                }
            } catch (IOException clientGone) {
                // the check stopped reading
            }
        });
        http.createContext("/loop", x -> {
            x.getResponseHeaders().add("Location", "/loop");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        http.start();
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             ServerSocket closed = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int closedPort = closed.getLocalPort();
            closed.close(); // a port nothing listens on: the PostgreSQL that is down
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepts and never says a word
                } catch (IOException testOver) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            Path pb = Files.writeString(dir.resolve("faults.yaml"), """
                    playbook: faults
                    checks:
                      - {id: command-timeout, phase: p0, timeout: 1s, command: 'sleep 30'}
                      - {id: stdout-200mb, phase: p0, timeout: 10s, command: "head -c 200000000 /dev/zero | tr '\\\\0' a"}
                      - {id: http-hang, phase: p0, timeout: 1s, http: "BASE/hang"}
                      - {id: http-tarpit, phase: p0, timeout: 1s, http: "http://127.0.0.1:SILENT/"}
                      - {id: http-slow-body, phase: p0, timeout: 1s, http: "BASE/trickle"}
                      - {id: http-gigabyte, phase: p0, timeout: 10s, http: "BASE/gigabyte"}
                      - {id: http-redirect-loop, phase: p0, timeout: 2s, http: "BASE/loop"}
                      - {id: dns-failure, phase: p0, timeout: 2s, http: "http://no-such-host.invalid/"}
                      - {id: pg-down, phase: p0, timeout: 2s, sql: {url: "jdbc:postgresql://127.0.0.1:CLOSED/postgres", user: postgres, query: "SELECT 1"}, expect: {equals: 1}}
                      - {id: pg-slow, phase: p0, timeout: 1s, sql: {url: "jdbc:postgresql://127.0.0.1:5432/postgres", user: postgres, query: "SELECT 1 FROM pg_sleep(30)"}, expect: {equals: 1}}
                      - {id: redis-down, phase: p0, timeout: 2s, redis: {url: "redis://127.0.0.1:CLOSED", ping: true}}
                    """.replace("BASE", base).replace("SILENT", Integer.toString(silent.getLocalPort())).replace("CLOSED", Integer.toString(closedPort)));
            Path json = dir.resolve("result.json");
            Cli r = Cli.run("audit", "-p", pb.toString(), "--no-store", "-f", "summary", "-o", json.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.path("interrupted").asBoolean()).isFalse();
            Map<String, Long> timeouts = Map.ofEntries(Map.entry("command-timeout", 1000L), Map.entry("stdout-200mb", 10_000L),
                    Map.entry("http-hang", 1000L), Map.entry("http-tarpit", 1000L), Map.entry("http-slow-body", 1000L),
                    Map.entry("http-gigabyte", 10_000L), Map.entry("http-redirect-loop", 2000L), Map.entry("dns-failure", 2000L),
                    Map.entry("pg-down", 2000L), Map.entry("pg-slow", 1000L), Map.entry("redis-down", 2000L));
            assertThat(report.path("checks")).hasSize(timeouts.size());
            for (JsonNode c : report.path("checks")) {
                String id = c.path("id").asText();
                String what = id + ": " + c.path("message").asText();
                assertThat(c.path("duration_ms").asLong()).as(what).isLessThanOrEqualTo(timeouts.get(id) + SLACK_MS);
                // 200 MB of output and a 1 GB body are not faults of the check: they are cut, bounded, and judged
                if (id.equals("stdout-200mb") || id.equals("http-gigabyte")) continue;
                assertThat(c.path("status").asText()).as(what).isEqualTo("error");
            }
            // the probe's own words ("no response within 1s") or the engine's guard's ("timed out after 1s"),
            // whichever notices first: both name the timeout
            assertThat(message(report, "command-timeout")).endsWith("timed out after 1s");
            assertThat(message(report, "http-hang")).containsPattern("(within|after) 1s");
            assertThat(message(report, "http-slow-body")).containsPattern("(within|after) 1s");
            assertThat(message(report, "http-redirect-loop")).containsIgnoringCase("redirect");
            assertThat(message(report, "dns-failure")).containsIgnoringCase("no-such-host.invalid");
            assertThat(message(report, "pg-slow")).isNotBlank();
            // bounded: the report holds at most a few MB of evidence, and the client stopped reading the gigabyte
            assertThat(Files.size(json)).isLessThan(16L << 20);
            assertThat(status(report, "stdout-200mb")).isEqualTo("pass");
            assertThat(status(report, "http-gigabyte")).isIn("pass", "fail", "error");
            assertThat(gigabyteServed.get()).as("bytes the server could send before the check stopped reading").isLessThan(1L << 30);
        } finally {
            http.stop(0);
            for (Socket s : held) s.close();
        }
    }

    /** Self-signed, expired and wrong-host certificates in one run: each an ERROR saying which, within the timeout + 1 s. */
    @Test
    void certificateFaultsInOneRun() throws Exception {
        HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).commonName("Faults Root CA").build();
        Path ca = Files.writeString(dir.resolve("ca.pem"), root.certificatePem());
        long jan2020 = 1577836800000L;
        HeldCertificate selfSigned = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        HeldCertificate expired = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1")
                .validityInterval(jan2020, jan2020 + 86_400_000L).signedBy(root).build();
        HeldCertificate otherHost = new HeldCertificate.Builder().commonName("example.test").addSubjectAlternativeName("example.test")
                .signedBy(root).build();
        List<HttpsServer> servers = new ArrayList<>();
        try {
            StringBuilder checks = new StringBuilder("playbook: certificate-faults\nchecks:\n");
            Map<String, HeldCertificate> certs = Map.of("self-signed", selfSigned, "expired", expired, "wrong-host", otherHost);
            for (Map.Entry<String, HeldCertificate> e : certs.entrySet()) {
                HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.setHttpsConfigurator(new HttpsConfigurator(new HandshakeCertificates.Builder()
                        .heldCertificate(e.getValue(), e.getValue() == selfSigned ? new java.security.cert.X509Certificate[0]
                                : new java.security.cert.X509Certificate[] {root.certificate()}).build().sslContext()));
                server.createContext("/", x -> {
                    x.sendResponseHeaders(200, -1);
                    x.close();
                });
                server.start();
                servers.add(server);
                String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
                checks.append("  - {id: https-").append(e.getKey()).append(", phase: p0, timeout: 2s, http: {url: '").append(url).append("'")
                        .append(e.getKey().equals("self-signed") ? "" : ", ca_file: '" + ca + "'").append("}}\n");
                // the tls check observes the certificate: a bad one is a FAIL naming what is wrong
                checks.append("  - {id: tls-").append(e.getKey()).append(", phase: p0, timeout: 2s, tls: {host: 127.0.0.1, port: ")
                        .append(server.getAddress().getPort())
                        .append(e.getKey().equals("self-signed") ? "" : ", ca_file: '" + ca + "'").append("}}\n");
            }
            Path pb = Files.writeString(dir.resolve("pb.yaml"), checks.toString());
            Path json = dir.resolve("result.json");
            Cli r = Cli.run("audit", "-p", pb.toString(), "--no-store", "-f", "summary", "-o", json.toString());
            assertThat(r.exit()).as(r.err()).isIn(ExitCodes.NOT_READY);
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            Map<String, String> says = Map.of("self-signed", "self-signed", "expired", "expired", "wrong-host", "example.test");
            assertThat(report.path("checks")).hasSize(6);
            for (JsonNode c : report.path("checks")) {
                String id = c.path("id").asText();
                String fault = id.substring(id.indexOf('-') + 1);
                assertThat(c.path("status").asText()).as(c.toString()).isIn("error", "fail");
                assertThat(c.toString()).as(id).contains(says.get(fault));
                assertThat(c.path("duration_ms").asLong()).as(id).isLessThanOrEqualTo(2000 + SLACK_MS);
            }
            for (String fault : certs.keySet()) assertThat(status(report, "https-" + fault)).as(fault).isEqualTo("error");
        } finally {
            for (HttpsServer s : servers) s.stop(0);
        }
    }

    /** A Redis that requires a password, given a wrong one: an ERROR that never shows it. */
    @Test
    void redisAuth() throws Exception {
        int port = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--requirepass", "right-pass-" + port).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            long until = System.currentTimeMillis() + 10_000;
            while (!listens(port) && System.currentTimeMillis() < until) sleepQuietly(50);
            Path pb = Files.writeString(dir.resolve("pb.yaml"), "playbook: redis-auth\nchecks:\n"
                    + "  - {id: wrong, phase: p0, timeout: 2s, redis: {url: 'redis://127.0.0.1:" + port + "', password: 'wrong-pass-canary', ping: true}}\n"
                    + "  - {id: none, phase: p0, timeout: 2s, redis: {url: 'redis://127.0.0.1:" + port + "', ping: true}}\n");
            Path json = dir.resolve("result.json");
            Cli r = Cli.run("audit", "-p", pb.toString(), "--no-store", "-o", json.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            for (String id : List.of("wrong", "none")) {
                JsonNode c = check(report, id);
                assertThat(c.path("status").asText()).as(c.toString()).isEqualTo("error");
                assertThat(c.path("duration_ms").asLong()).isLessThanOrEqualTo(2000 + SLACK_MS);
            }
            assertThat(Files.readString(json) + r.out() + r.err()).doesNotContain("wrong-pass-canary");
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Four SSH hosts of one target, each broken another way (connection refused, a tarpit that accepts
     * and never speaks, a key the server does not accept, a changed host key): each host is an ERROR
     * within the check's timeout + 1 s, the run completes, the report is written.
     */
    @Test
    void sshFaultsInOneRun() throws Exception {
        Path key = Keys.keygen(dir.resolve("id_ed25519"), "ed25519", false, null, "client");
        Path stranger = Keys.keygen(dir.resolve("stranger"), "ed25519", false, null, "stranger");
        Path impostor = Keys.keygen(dir.resolve("impostor"), "ed25519", false, null, "impostor");
        List<Socket> held = new ArrayList<>();
        try (Sshd sshd = Sshd.builder(dir.resolve("sshd")).hostKey("ed25519").alsoListenOn(List.of("127.0.0.2"))
                .authorize(Keys.pub(key)).start();
             ServerSocket tarpit = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(tarpit.accept());
                } catch (IOException testOver) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int refused = Sshd.freePort();
            Path knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
            Path changed = Files.writeString(dir.resolve("known_hosts_changed"),
                    "[127.0.0.2]:" + sshd.port() + " ssh-ed25519 " + Files.readString(Keys.pub(impostor)).trim().split("\\s+")[1] + "\n");
            Path inventory = Files.writeString(dir.resolve("targets.yaml"), "targets:\n  fleet:\n"
                    // the SSH handshake gives up (1 s) before the check (2 s): the tarpit is named as such
                    + "    ssh: {user: root, identity: " + key + ", known_hosts: " + knownHosts + ", ssh_config: none, connect_timeout: 1s}\n"
                    // one address per host, so that each fault is a connection of its own
                    + "    hosts:\n"
                    + "      - {name: refused, host: 127.0.0.1, port: " + refused + "}\n"
                    + "      - {name: tarpit, host: 127.0.0.1, port: " + tarpit.getLocalPort() + "}\n"
                    + "      - {name: wrong-key, host: 127.0.0.1, port: " + sshd.port() + ", identity: " + stranger + "}\n"
                    + "      - {name: changed-host-key, host: 127.0.0.2, port: " + sshd.port() + ", known_hosts: " + changed + "}\n");
            Path pb = Files.writeString(dir.resolve("pb.yaml"), "playbook: ssh-faults\nchecks:\n  - {id: hello, phase: p0, timeout: 2s, command: 'echo hello'}\n");
            Path json = dir.resolve("result.json");
            Cli r = Cli.run("audit", "-p", pb.toString(), "-i", inventory.toString(), "-t", "fleet", "--no-store", "-f", "summary", "-o", json.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
            JsonNode hello = check(new ObjectMapper().readTree(json.toFile()), "hello");
            assertThat(hello.path("status").asText()).isEqualTo("error");
            Map<String, String> expected = Map.of("refused", "connection refused", "tarpit", "no SSH banner within",
                    "wrong-key", "authentication failed", "changed-host-key", "has CHANGED");
            assertThat(hello.path("hosts")).hasSize(4);
            for (JsonNode h : hello.path("hosts")) {
                String name = h.path("host").asText();
                assertThat(h.path("status").asText()).as(h.toString()).isEqualTo("error");
                assertThat(h.path("message").asText()).as(name).contains(expected.get(name));
                assertThat(h.path("duration_ms").asLong()).as(h.toString()).isLessThanOrEqualTo(2000 + SLACK_MS);
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }

    /** sshd killed while a command runs on it: that check is an ERROR within its timeout + 1 s, the run completes. */
    @Test
    void sshdKilledMidRun() throws Exception {
        Path key = Keys.keygen(dir.resolve("id_ecdsa"), "ecdsa", false, null, "client");
        Path started = dir.resolve("started");
        Sshd sshd = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(key)).start();
        try {
            Path knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
            Path inventory = Files.writeString(dir.resolve("targets.yaml"), "targets:\n  box:\n    ssh: {host: " + sshd.host() + ", port: " + sshd.port()
                    + ", user: root, identity: " + key + ", known_hosts: " + knownHosts + ", ssh_config: none, connect_timeout: 2s}\n");
            Path pb = Files.writeString(dir.resolve("pb.yaml"), "playbook: sshd-killed\nchecks:\n"
                    + "  - {id: before, phase: p0, command: 'echo up'}\n"
                    + "  - {id: in-flight, phase: p0, timeout: 3s, command: 'touch " + started + "; sleep 30', depends_on: [before]}\n");
            Path json = dir.resolve("result.json");
            Thread killer = new Thread(() -> {
                long until = System.currentTimeMillis() + 20_000;
                while (!Files.exists(started) && System.currentTimeMillis() < until) sleepQuietly(20);
                sshd.close(); // the listener and every session process
            });
            killer.start();
            Cli r = Cli.run("audit", "-p", pb.toString(), "-i", inventory.toString(), "-t", "box", "--no-store",
                    "-f", "summary", "-o", json.toString());
            killer.join();
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(status(report, "before")).isEqualTo("pass");
            JsonNode inFlight = check(report, "in-flight");
            assertThat(inFlight.path("status").asText()).as(inFlight.toString()).isEqualTo("error");
            assertThat(inFlight.path("duration_ms").asLong()).isLessThanOrEqualTo(3000 + SLACK_MS);
        } finally {
            sshd.close();
        }
    }

    /** A Redis the run was using killed between two checks: the later one is an ERROR within its timeout + 1 s. */
    @Test
    void redisKilledMidRun() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            long until = System.currentTimeMillis() + 10_000;
            while (!answers(port) && System.currentTimeMillis() < until) sleepQuietly(50);
            String url = "redis://127.0.0.1:" + port;
            Path pb = Files.writeString(dir.resolve("pb.yaml"), "playbook: redis-killed\nchecks:\n"
                    + "  - {id: before, phase: p0, timeout: 2s, redis: {url: '" + url + "', ping: true}}\n"
                    + "  - {id: kill, phase: p0, command: 'kill -KILL " + redis.pid() + "; while kill -0 " + redis.pid() + " 2>/dev/null; do sleep 0.05; done',"
                    + " depends_on: [before]}\n"
                    + "  - {id: after, phase: p1, timeout: 2s, redis: {url: '" + url + "', ping: true}, depends_on: [kill]}\n");
            Path json = dir.resolve("result.json");
            Cli r = Cli.run("audit", "-p", pb.toString(), "--no-store", "-f", "summary", "-o", json.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_READY);
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(status(report, "before")).isEqualTo("pass");
            assertThat(redis.isAlive()).isFalse();
            JsonNode after = check(report, "after");
            assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("error");
            assertThat(after.path("duration_ms").asLong()).isLessThanOrEqualTo(2000 + SLACK_MS);
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return s.getInputStream().read() == '+';
        } catch (IOException notYet) {
            return false;
        }
    }

    private static JsonNode check(JsonNode report, String id) {
        for (JsonNode c : report.path("checks")) if (c.path("id").asText().equals(id)) return c;
        throw new AssertionError("no check " + id);
    }

    private static String status(JsonNode report, String id) { return check(report, id).path("status").asText(); }

    private static String message(JsonNode report, String id) { return check(report, id).path("message").asText(); }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
