package io.triaready.checks.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.triaready.spi.HostTransport;
import io.triaready.testing.HostChecks;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real listening sockets opened by the test, seen on this machine directly and over SSH. */
class PortCheckTypeTest {
    static final PortCheckType TYPE = new PortCheckType();

    @TempDir
    static Path dir;
    static HostChecks checks;
    static ServerSocket loopback;
    static ServerSocket wildcard;
    static DatagramSocket udp;

    @BeforeAll
    static void start() throws Exception {
        checks = HostChecks.start(dir);
        loopback = new ServerSocket();
        loopback.bind(new InetSocketAddress("127.0.0.1", 0));
        wildcard = new ServerSocket(0); // all addresses
        udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {loopback, wildcard, udp, checks}) {
            if (c != null) c.close();
        }
    }

    static Stream<Named<HostTransport>> hosts() { return checks.hosts().stream().map(h -> Named.of(h.name(), h)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aPortBoundToLoopback(HostTransport host) throws Exception {
        int port = loopback.getLocalPort();
        HostChecks.Result r = HostChecks.run(TYPE, String.valueOf(port), null, host);
        assertThat(r.passed()).isTrue();
        assertThat(r.fact("addresses")).isEqualTo(List.of("127.0.0.1"));
        assertThat(HostChecks.run(TYPE, "{port: " + port + ", address: 127.0.0.1}", null, host).passed()).isTrue();
        HostChecks.Result elsewhere = HostChecks.run(TYPE, "{port: " + port + ", address: 10.9.8.7}", null, host);
        assertThat(elsewhere.fact("listening")).isEqualTo(false);
        assertThat(elsewhere.failures()).containsExactly("listening: expected true, got false");
        // "bound to loopback only" is an expectation on addresses
        assertThat(HostChecks.run(TYPE, String.valueOf(port), "{addresses: [127.0.0.1]}", host).passed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aWildcardSocketAcceptsEveryAddress(HostTransport host) throws Exception {
        int port = wildcard.getLocalPort();
        HostChecks.Result r = HostChecks.run(TYPE, "{port: " + port + ", address: 127.0.0.1}", null, host);
        assertThat(r.passed()).isTrue();
        assertThat((List<?>) r.fact("addresses")).singleElement().isIn("*", "::", "0.0.0.0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aPortNobodyListensOn(HostTransport host) throws Exception {
        int port = Sshd.freePort();
        HostChecks.Result r = HostChecks.run(TYPE, "{port: " + port + "}", null, host);
        assertThat(r.fact("listening")).isEqualTo(false);
        assertThat(r.fact("addresses")).isEqualTo(List.of());
        assertThat(r.notes()).containsExactly("nothing listens on tcp port " + port);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void udp(HostTransport host) throws Exception {
        int port = udp.getLocalPort();
        assertThat(HostChecks.run(TYPE, "{port: " + port + ", protocol: udp}", null, host).fact("addresses")).isEqualTo(List.of("127.0.0.1"));
        assertThat(HostChecks.run(TYPE, "{port: " + port + "}", null, host).fact("listening")).isEqualTo(false);
    }

    @Test
    void procNetTcpIsTheFallbackWhereSsIsMissing() throws Exception {
        String proc = Files.readString(Path.of("/proc/net/tcp")) + Files.readString(Path.of("/proc/net/tcp6"));
        List<PortCheckType.Socket> sockets = PortCheckType.parseProc(proc, "tcp");
        assertThat(sockets).contains(new PortCheckType.Socket("127.0.0.1", loopback.getLocalPort()));
        assertThat(sockets).anyMatch(s -> s.port() == wildcard.getLocalPort() && (s.address().equals("::") || s.address().equals("0.0.0.0")));
        String procUdp = Files.readString(Path.of("/proc/net/udp")) + Files.readString(Path.of("/proc/net/udp6"));
        assertThat(PortCheckType.parseProc(procUdp, "udp")).contains(new PortCheckType.Socket("127.0.0.1", udp.getLocalPort()));
    }

    @Test
    void addressesAreNormalized() {
        assertThat(PortCheckType.normalize("[::]")).isEqualTo("::");
        assertThat(PortCheckType.normalize("[::1]")).isEqualTo("::1");
        assertThat(PortCheckType.normalize("[::ffff:127.0.0.1]")).isEqualTo("127.0.0.1");
        assertThat(PortCheckType.normalize("127.0.0.53%lo")).isEqualTo("127.0.0.53");
        assertThat(PortCheckType.normalize("[fe80::1%eth0]")).isEqualTo("fe80::1");
        assertThat(PortCheckType.normalize("*")).isEqualTo("*");
        assertThat(PortCheckType.parseSs("State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                + "LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*\nLISTEN 0 128 [::]:22 [::]:*\n"))
                .containsExactly(new PortCheckType.Socket("127.0.0.53", 53), new PortCheckType.Socket("::", 22));
    }

    @Test
    void mistakesAreReportedAtTheirPlace() {
        assertThat(HostChecks.problems(TYPE, "http")).containsExactly("1:1: 'port' must be a port number, got 'http'");
        assertThat(HostChecks.problems(TYPE, "{port: 70000}")).containsExactly("1:1: 'port' must be between 1 and 65535, got 70000");
        assertThat(HostChecks.problems(TYPE, "{port: 80, protocol: sctp}")).containsExactly("1:22: 'protocol' must be tcp or udp, got 'sctp'");
        assertThat(HostChecks.problems(TYPE, "{port: 80, address: localhost}")).singleElement().asString().startsWith("1:21: 'address' must be an IP address");
        assertThat(HostChecks.problems(TYPE, "{address: 127.0.0.1}")).singleElement().asString().contains("missing required key 'port'");
    }
}
