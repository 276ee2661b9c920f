package io.triaready.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.triaready.spi.Session;
import io.triaready.transport.http.HttpClients;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS: verification is on unless a check says insecure: true, and its failures say what is wrong. */
@Timeout(60)
class HttpsProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Session session;
    private final CheckHarness harness = new CheckHarness(new HttpCheckType(), Map.of());

    @BeforeEach
    void start() {
        session = new Session();
    }

    @AfterEach
    void stop() {
        session.close();
    }

    private static TestHttpServer serve(HeldCertificate cert, java.security.cert.X509Certificate... chain) throws Exception {
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(cert, chain).build();
        return TestHttpServer.https(server.sslContext());
    }

    private static HeldCertificate selfSigned(String... names) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName("localhost");
        for (String n : names) b.addSubjectAlternativeName(n);
        return b.build();
    }

    private Path pem(HeldCertificate cert) throws Exception {
        Path file = dir.resolve("ca-" + System.nanoTime() + ".pem");
        Files.writeString(file, cert.certificatePem());
        return file;
    }

    private CheckHarness.Result run(String yaml) { return harness.run(yaml, session, TIMEOUT); }

    @Test
    void selfSignedCertificateIsRefusedByDefault() throws Exception {
        try (var server = serve(selfSigned("localhost", "127.0.0.1"))) {
            var r = run("http: \"" + server.base() + "/health\"\n");
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.error()).isEqualTo("certificate not trusted: CN=localhost is self-signed (use insecure: true to skip verification)");
            assertThat(server.received).isEmpty(); // nothing was sent over the untrusted connection
            assertThat(HttpClients.tlsLoaded(io.triaready.spi.BasicProbeContext.of(TIMEOUT, io.triaready.transport.local.LocalHost.INSTANCE, session)))
                    .as("set up by the first https connection").isTrue();
        }
    }

    @Test
    void insecureSkipsVerification() throws Exception {
        try (var server = serve(selfSigned("example.test"))) { // wrong name too: nothing is checked
            var r = run("""
                    http: {url: "%s/health", insecure: true}
                    expect: {status: 200, json: {"$.chromadb": connected}}
                    """.formatted(server.base()));
            assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        }
    }

    @Test
    void insecureChecksDoNotLoosenTheOthers() throws Exception {
        HeldCertificate cert = selfSigned("localhost", "127.0.0.1");
        HeldCertificate other = selfSigned("localhost", "127.0.0.1");
        Path trusted = pem(cert);
        Path wrong = pem(other);
        try (var server = serve(cert)) {
            // one run, interleaved, repeated: a connection set up without verification (or with another
            // trust anchor) is pooled apart and never carries a verifying check
            for (int i = 0; i < 5; i++) {
                assertThat(run("http: {url: \"" + server.base() + "/health\", insecure: true}\n").outcome()).isEqualTo("PASS");
                assertThat(run("http: \"" + server.base() + "/health\"\n").outcome()).isEqualTo("ERROR");
                assertThat(run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + trusted + "\"}\n").outcome()).isEqualTo("PASS");
                assertThat(run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + wrong + "\"}\n").outcome()).isEqualTo("ERROR");
            }
        }
    }

    @Test
    void caFileAddsATrustAnchor() throws Exception {
        HeldCertificate cert = selfSigned("localhost", "127.0.0.1");
        try (var server = serve(cert)) {
            var r = run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + pem(cert) + "\"}\n");
            assertThat(r.outcome()).as(r.toString()).isEqualTo("PASS");
        }
    }

    @Test
    void certificateForAnotherNameIsRefused() throws Exception {
        HeldCertificate cert = selfSigned("example.test");
        try (var server = serve(cert)) {
            var r = run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + pem(cert) + "\"}\n");
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.error()).isEqualTo("certificate does not match host '127.0.0.1' (it is for example.test)"
                    + " (use insecure: true to skip verification)");
        }
    }

    @Test
    void unknownIssuerIsNamed() throws Exception {
        HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).commonName("Test Root CA").build();
        HeldCertificate leaf = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1")
                .signedBy(root).build();
        try (var server = serve(leaf)) {
            var r = run("http: \"" + server.base() + "/health\"\n");
            assertThat(r.error()).isEqualTo("certificate not trusted: CN=localhost is issued by CN=Test Root CA, which is not a trusted authority"
                    + " (use insecure: true to skip verification)");
            // the same server, trusting its CA
            assertThat(run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + pem(root) + "\"}\n").outcome()).isEqualTo("PASS");
        }
    }

    @Test
    void expiredCertificateSaysWhen() throws Exception {
        HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).commonName("Test Root CA").build();
        long jan2020 = 1577836800000L;
        HeldCertificate leaf = new HeldCertificate.Builder().commonName("localhost").addSubjectAlternativeName("127.0.0.1")
                .validityInterval(jan2020, jan2020 + TimeUnit.DAYS.toMillis(1)).signedBy(root).build();
        try (var server = serve(leaf)) {
            var r = run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + pem(root) + "\"}\n");
            assertThat(r.error()).isEqualTo("certificate not trusted: CN=localhost expired on 2020-01-02 (use insecure: true to skip verification)");
        }
    }

    @Test
    void missingCaFileIsAnError() throws Exception {
        try (var server = serve(selfSigned("localhost"))) {
            Path none = dir.resolve("none.pem");
            var r = run("http: {url: \"" + server.base() + "/health\", ca_file: \"" + none + "\"}\n");
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.error()).isEqualTo("ca_file " + none + " does not exist");
        }
    }

    @Test
    void caFileWithoutCertificate() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        var r = run("http: {url: \"https://127.0.0.1:1/health\", ca_file: \"" + junk + "\"}\n");
        assertThat(r.outcome()).isEqualTo("ERROR");
        assertThat(r.error()).startsWith("ca_file " + junk + " holds no readable certificate");
    }
}
