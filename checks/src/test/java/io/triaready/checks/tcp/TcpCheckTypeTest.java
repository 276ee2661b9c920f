package io.triaready.checks.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.builtin.BuiltIns;
import io.triaready.checks.http.CheckHarness;
import io.triaready.core.expect.Missing;
import io.triaready.spi.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** tcp checks: parsing, and connects to real loopback sockets (listening, closed, saturated). */
@Timeout(60)
class TcpCheckTypeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long SLACK_MS = 2500;

    private final CheckHarness harness = new CheckHarness(new TcpCheckType(), Map.of("postgres.port", "5432"));
    private final Session session = new Session();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        session.close();
        for (AutoCloseable c : opened) c.close();
    }

    private ServerSocket listening() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        opened.add(s);
        return s;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private CheckHarness.Result run(String yaml) { return harness.run(yaml, session, TIMEOUT); }

    // --- parsing ---

    @Test
    void registeredWithDefaults() {
        assertThat(BuiltIns.checkTypes().get("tcp")).get().isInstanceOf(TcpCheckType.class);
        assertThat(new TcpCheckType().facts().primary()).isEqualTo("reachable");
        assertThat(new TcpCheckType().facts().defaultExpect()).isEqualTo("reachable: true");
    }

    @Test
    void shortAndLongForms() {
        var p = harness.parse("tcp: \"db.internal:${postgres.port}\"\n");
        assertThat(p.problems()).isEmpty();
        assertThat(p.probe()).isEqualTo(new TcpProbe("db.internal", 5432, null));
        assertThat(p.probe().describe()).isEqualTo("tcp db.internal:5432");

        var v6 = harness.parse("tcp: \"[::1]:6379\"\n");
        assertThat(v6.probe()).isEqualTo(new TcpProbe("::1", 6379, null));
        assertThat(v6.probe().describe()).isEqualTo("tcp [::1]:6379");

        var full = harness.parse("tcp: {host: db, port: \"${postgres.port}\", timeout: 2s}\n");
        assertThat(full.problems()).isEmpty();
        assertThat(full.probe()).isEqualTo(new TcpProbe("db", 5432, Duration.ofSeconds(2)));
    }

    @Test
    void portOutOfRange() {
        assertThat(harness.parse("tcp: \"db:70000\"\n").problems()).containsExactly("t.yaml:1:6: port 70000 is out of range (1-65535)");
        assertThat(harness.parse("""
                tcp:
                  host: db
                  port: 0
                """).problems()).containsExactly("t.yaml:3:9: port 0 is out of range (1-65535)");
    }

    @Test
    void malformedTargets() {
        assertThat(harness.parse("tcp: db\n").problems()).containsExactly(
                "t.yaml:1:6: 'tcp' takes host:port, e.g. \"db:5432\" or \"[::1]:5432\", got 'db'");
        assertThat(harness.parse("tcp: \"db:pg\"\n").problems()).containsExactly("t.yaml:1:6: port 'pg' in 'tcp' is not a number");
        assertThat(harness.parse("tcp: \"https://db:443\"\n").problems()).containsExactly(
                "t.yaml:1:6: 'tcp' takes host:port, not a URL (for a URL, use an http check)");
        assertThat(harness.parse("tcp:\n").problems()).containsExactly("t.yaml:1:5: 'tcp' needs host:port, e.g. tcp: \"db:5432\"");
    }

    @Test
    void mappingMistakes() {
        assertThat(harness.parse("""
                tcp:
                  host: db
                  prot: 5432
                """).problems()).containsExactly(
                "t.yaml:2:3: tcp check is missing required key 'port'",
                "t.yaml:3:3: unknown key 'prot' in tcp check (did you mean 'port'?)");
        assertThat(harness.parse("tcp: {host: db, port: [1]}\n").problems()).containsExactly(
                "t.yaml:1:23: 'port' must be a whole number, got a list");
    }

    // --- probing ---

    @Test
    void listeningPortIsReachable() throws Exception {
        ServerSocket server = listening();
        var r = run("tcp: \"127.0.0.1:" + server.getLocalPort() + "\"\n");
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        assertThat(r.facts().get("address")).isEqualTo("127.0.0.1:" + server.getLocalPort());
        assertThat(r.facts().get("duration_ms")).isInstanceOf(Long.class);
        assertThat(r.notes()).matches("connected to 127\\.0\\.0\\.1:\\d+ in \\d+ms");
    }

    @Test
    void hostNameIsResolvedAndEveryAddressTried() throws Exception {
        // "localhost" may resolve to ::1 first; the server only listens on 127.0.0.1
        ServerSocket server = listening();
        var r = run("tcp: {host: localhost, port: " + server.getLocalPort() + "}\n");
        assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        assertThat(r.notes()).startsWith("connected to localhost:" + server.getLocalPort() + " = ");
    }

    @Test
    void closedPortIsAnObservationNotAnError() throws Exception {
        int port = closedPort();
        var r = run("tcp: \"127.0.0.1:" + port + "\"\n");
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat(r.failures()).containsExactly("reachable: expected true, got false");
        assertThat(r.notes()).isEqualTo("connection refused (127.0.0.1:" + port + ")");
        // and a port that must stay closed (redis not exposed, say) can be asserted
        assertThat(run("tcp: \"127.0.0.1:" + port + "\"\nexpect: {reachable: false}\n").outcome()).isEqualTo("PASS");
        assertThat(run("tcp: \"127.0.0.1:" + port + "\"\nexpect: false\n").outcome()).isEqualTo("PASS");
    }

    @Test
    void unansweredConnectIsUnreachableWithinTheTimeout() throws Exception {
        // A listener whose accept queue is full and never drained: Linux drops further SYNs, so a
        // connect gets no answer at all, like a firewalled port.
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        opened.add(full);
        boolean saturated = false;
        for (int i = 0; i < 20 && !saturated; i++) {
            Socket s = new Socket();
            opened.add(s);
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
            } catch (SocketTimeoutException e) {
                saturated = true;
            }
        }
        assumeTrue(saturated, "this OS answers SYNs beyond the accept queue; cannot simulate a silent port");

        var p = harness.parse("tcp: {host: 127.0.0.1, port: " + full.getLocalPort() + ", timeout: 500ms}\n");
        var r = harness.run(p, session, TIMEOUT);
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat(r.notes()).isEqualTo("no answer within 500ms (127.0.0.1:" + full.getLocalPort() + ")");
        assertThat(r.elapsedMs()).isLessThan(500 + SLACK_MS);
    }

    @Test
    void unknownHostIsUnreachable() throws Exception {
        var r = run("tcp: \"no-such-host.invalid:5432\"\n");
        assertThat(r.outcome()).isEqualTo("FAIL");
        assertThat(r.notes()).isEqualTo("unknown host 'no-such-host.invalid'");
        assertThat(r.facts().get("address")).isEqualTo(Missing.INSTANCE);
    }
}
