package io.triaready.checks.tls;

import static io.triaready.datacheck.CheckHarness.context;
import static io.triaready.datacheck.CheckHarness.problems;
import static io.triaready.datacheck.CheckHarness.run;
import static io.triaready.datacheck.CheckHarness.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.triaready.base.secret.Secrets;
import io.triaready.core.result.Outcome;
import io.triaready.datacheck.CheckHarness.Run;
import io.triaready.datacheck.CheckHarness;
import io.triaready.spi.Session;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Certificates made in the test, served by an in-test TLS server socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsCheckTest {
    static final TlsCheckType TLS = new TlsCheckType();
    static final long DAY = TimeUnit.DAYS.toMillis(1);
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) c.close();
    }

    /** A TLS server presenting {@code leaf} (and {@code intermediates}); returns its port. */
    int serve(HeldCertificate leaf, java.security.cert.X509Certificate... intermediates) throws Exception {
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(leaf, intermediates).build();
        SSLServerSocket socket = (SSLServerSocket) server.sslContext().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(socket);
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                    s.getInputStream().read(); // until the client closes
                } catch (Exception ignored) {
                    // next client, or closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return socket.getLocalPort();
    }

    Path pem(HeldCertificate... certs) throws Exception {
        Path p = Files.createTempFile("tria-ca", ".pem");
        StringBuilder b = new StringBuilder();
        for (HeldCertificate c : certs) b.append(c.certificatePem());
        Files.writeString(p, b.toString());
        cleanup.add(() -> Files.deleteIfExists(p));
        return p;
    }

    static HeldCertificate ca() {
        return new HeldCertificate.Builder().commonName("Tria Test Root CA").certificateAuthority(0).duration(365, TimeUnit.DAYS).build();
    }

    static HeldCertificate leaf(HeldCertificate issuer, String san, long fromMillis, long untilMillis) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName(san).addSubjectAlternativeName(san).validityInterval(fromMillis, untilMillis);
        if (issuer != null) b.signedBy(issuer);
        return b.build();
    }

    static Run check(String spec, String expect) {
        try (Session session = new Session()) {
            return run(TLS, spec, expect, context(Duration.ofSeconds(10), target(Map.of()), session, new Secrets()));
        }
    }

    @Test
    void caSignedCertificateWithCaFilePassesTheDefault() throws Exception {
        HeldCertificate root = ca();
        long now = System.currentTimeMillis();
        int port = serve(leaf(root, "localhost", now - DAY, now + 90 * DAY), root.certificate());
        Run r = check("{host: localhost, port: " + port + ", ca_file: \"" + pem(root) + "\"}", null);
        assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
        assertThat(r.fact("trusted")).isEqualTo(true);
        assertThat(r.fact("hostname_match")).isEqualTo(true);
        assertThat(r.fact("self_signed")).isEqualTo(false);
        assertThat((Long) r.fact("days_left")).isBetween(88L, 90L);
        assertThat(r.fact("issuer")).isEqualTo("CN=Tria Test Root CA");
        assertThat(r.fact("subject")).isEqualTo("CN=localhost");
        assertThat(r.fact("protocol")).asString().startsWith("TLSv1.");
        assertThat(r.fact("names")).isEqualTo(List.of("localhost"));
        assertThat((String) r.fact("expires")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        // the same server without ca_file: the JVM trust store does not know the test CA
        Run jvm = check("\"localhost:" + port + "\"", null);
        assertThat(jvm.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(jvm.failures()).containsExactly("trusted: expected true, got false");
        assertThat(jvm.facts().notes()).anyMatch(n -> n.startsWith("not trusted: no chain to a trusted CA"));
    }

    @Test
    void selfSigned() throws Exception {
        long now = System.currentTimeMillis();
        HeldCertificate self = leaf(null, "localhost", now - DAY, now + 365 * DAY);
        int port = serve(self);
        Run r = check("\"localhost:" + port + "\"", null);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.fact("self_signed")).isEqualTo(true);
        assertThat(r.fact("trusted")).isEqualTo(false);
        assertThat(r.facts().notes()).contains("not trusted: self-signed certificate");
        // pinned through ca_file, the self-signed certificate is trusted
        Run pinned = check("{host: localhost, port: " + port + ", ca_file: \"" + pem(self) + "\"}", null);
        assertThat(pinned.outcome()).as(pinned.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void expiredCertificate() throws Exception {
        HeldCertificate root = ca();
        long now = System.currentTimeMillis();
        int port = serve(leaf(root, "localhost", now - 400 * DAY, now - 35 * DAY), root.certificate());
        Run r = check("{host: localhost, port: " + port + ", ca_file: \"" + pem(root) + "\"}", null);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat((Long) r.fact("days_left")).isBetween(-36L, -35L);
        assertThat(r.fact("trusted")).isEqualTo(false);
        assertThat(r.failures()).contains("trusted: expected true, got false").anyMatch(f -> f.startsWith("days_left: expected > 14, got -3"));
        assertThat(r.facts().notes()).contains("not trusted: a certificate in the chain has expired");
    }

    @Test
    void expiringSoonFailsTheDefaultButNotALowerBar() throws Exception {
        HeldCertificate root = ca();
        long now = System.currentTimeMillis();
        int port = serve(leaf(root, "localhost", now - DAY, now + 10 * DAY + DAY / 2), root.certificate());
        String spec = "{host: localhost, port: " + port + ", ca_file: \"" + pem(root) + "\"}";
        Run r = check(spec, null);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.failures()).containsExactly("days_left: expected > 14, got 10");
        assertThat(check(spec, "{gt: 7}").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void wrongHostname() throws Exception {
        HeldCertificate root = ca();
        long now = System.currentTimeMillis();
        int port = serve(leaf(root, "other.example.com", now - DAY, now + 90 * DAY), root.certificate());
        Path ca = pem(root);
        Run r = check("{host: localhost, port: " + port + ", ca_file: \"" + ca + "\"}", null);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.failures()).containsExactly("hostname_match: expected true, got false");
        assertThat(r.facts().notes()).contains("the certificate does not name localhost");
        // connecting by address while asking for the name the certificate carries
        Run named = check("{host: 127.0.0.1, port: " + port + ", servername: other.example.com, ca_file: \"" + ca + "\"}", null);
        assertThat(named.outcome()).as(named.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void wildcardAndIpNames() throws Exception {
        HeldCertificate root = ca();
        HeldCertificate wild = new HeldCertificate.Builder().commonName("*.example.com").addSubjectAlternativeName("*.example.com")
                .addSubjectAlternativeName("127.0.0.1").signedBy(root).duration(90, TimeUnit.DAYS).build();
        int port = serve(wild, root.certificate());
        Path ca = pem(root);
        assertThat(check("{host: 127.0.0.1, port: " + port + ", servername: api.example.com, ca_file: \"" + ca + "\"}", null).outcome())
                .isEqualTo(Outcome.PASS);
        assertThat(check("{host: 127.0.0.1, port: " + port + ", servername: a.b.example.com, ca_file: \"" + ca + "\"}", null).outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(check("{host: 127.0.0.1, port: " + port + ", servername: example.com, ca_file: \"" + ca + "\"}", null).outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(check("{host: 127.0.0.1, port: " + port + ", ca_file: \"" + ca + "\"}", null).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void whatCannotBeObservedIsAnError() throws Exception {
        int closed = CheckHarness.closedPort();
        Run down = check("\"127.0.0.1:" + closed + "\"", null);
        assertThat(down.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(down.error()).startsWith("cannot connect to 127.0.0.1:" + closed + ": ");

        try (ServerSocket plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (Exception ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            Run notTls = check("\"127.0.0.1:" + plain.getLocalPort() + "\"", null);
            assertThat(notTls.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(notTls.error()).startsWith("TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " failed: ");
        }

        Run badCa = check("{host: localhost, port: 1, ca_file: /nonexistent/ca.pem}", null);
        assertThat(badCa.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(badCa.error()).startsWith("cannot read ca_file /nonexistent/ca.pem");
    }

    @Test
    void silentServerCostsOneTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (Exception ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            try (Session session = new Session()) {
                Run r = run(TLS, "\"127.0.0.1:" + silent.getLocalPort() + "\"", null, context(Duration.ofSeconds(1), target(Map.of()), session, new Secrets()));
                assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
                assertThat(r.error()).contains("no answer within");
                assertThat(r.took()).isLessThan(Duration.ofSeconds(4));
            }
            for (Socket s : held) s.close();
        }
    }

    @Test
    void yamlForms() {
        assertThat(problems(TLS, "\"tria.example.com\"")).isEmpty();
        assertThat(problems(TLS, "\"[::1]:8443\"")).isEmpty();
        assertThat(problems(TLS, "\"tria.example.com:https\"")).singleElement().asString().contains("invalid port 'https'");
        assertThat(problems(TLS, "\"https://tria.example.com\"")).singleElement().asString().contains("invalid port");
        assertThat(problems(TLS, "{port: 443}")).singleElement().asString().contains("missing required key 'host'");
        assertThat(problems(TLS, "{host: x, port: 70000}")).singleElement().asString().contains("'port' must be between 1 and 65535");
        assertThat(problems(TLS, "{host: x, server_name: y}")).singleElement().asString().contains("did you mean 'servername'");
    }
}
