package io.triaready.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.triaready.spi.Session;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An http check's duration_ms is the target's time: request sent to response read, nothing before. */
@Timeout(60)
class HttpDurationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final CheckHarness harness = new CheckHarness(new HttpCheckType(), Map.of());

    @Test
    void aFastRequestAmongBusyOnesReportsItsOwnTime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (var server = TestHttpServer.http(); Session session = new Session()) {
            // more slow requests in flight to the host than OkHttp's dispatcher has slots per host (5)
            List<Future<CheckHarness.Result>> slow = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                slow.add(pool.submit(() -> harness.run("http: \"" + server.base() + "/slow?ms=20000\"\n", session, Duration.ofSeconds(4))));
            }
            long until = System.nanoTime() + 5_000_000_000L;
            while (server.received.size() < 8 && System.nanoTime() < until) Thread.sleep(10);
            assertThat(server.received).as("the slow requests are in flight").hasSize(8);
            CheckHarness.Result fast = harness.run("http: \"" + server.base() + "/health\"\n", session, TIMEOUT);
            assertThat(fast.outcome()).isEqualTo("PASS");
            assertThat(slow).allMatch(f -> !f.isDone(), "the slow requests were still in flight");
            long ms = (Long) fast.facts().get("duration_ms");
            assertThat(ms).as("the fast request's own time, not the busy ones'").isLessThan(2000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSlowTlsHandshakeIsNotTheResponseTime() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        var tls = new HandshakeCertificates.Builder().heldCertificate(cert).build();
        long delayMs = 1500;
        try (var server = TestHttpServer.https(tls.sslContext()); var proxy = new SlowStart(server.port(), delayMs); Session session = new Session()) {
            CheckHarness.Result r = harness.run("http: {url: \"https://127.0.0.1:" + proxy.port() + "/health\", insecure: true}\n", session, TIMEOUT);
            assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
            long ms = (Long) r.facts().get("duration_ms");
            // the server's first answer (its TLS hello) was held back delayMs: that is connecting, not the response
            assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(delayMs);
            assertThat(r.elapsedMs() - ms).as("duration_ms %d of %d ms elapsed", ms, r.elapsedMs()).isGreaterThanOrEqualTo(delayMs - 50);
        }
    }

    /** A TCP relay that holds back the first bytes from the server on each connection by {@code delayMs}. */
    static final class SlowStart implements AutoCloseable {
        private final ServerSocket socket;

        SlowStart(int upstream, long delayMs) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = socket.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream);
                        pipe(client.getInputStream(), server.getOutputStream(), 0);
                        pipe(server.getInputStream(), client.getOutputStream(), delayMs);
                    }
                } catch (IOException closed) {
                    // close() ends the loop
                }
            }, "slow-start");
            t.setDaemon(true);
            t.start();
        }

        int port() { return socket.getLocalPort(); }

        private static void pipe(InputStream in, OutputStream out, long delayFirstMs) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                boolean first = true;
                try (in; out) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (first && delayFirstMs > 0) Thread.sleep(delayFirstMs);
                        first = false;
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException done) {
                    // either side closed
                }
            }, "slow-start-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException { socket.close(); }
    }
}
