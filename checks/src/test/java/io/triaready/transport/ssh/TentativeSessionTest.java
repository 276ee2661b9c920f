package io.triaready.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tentative run session (an audit connecting before its command line is fully read) against a real
 * sshd logging at VERBOSE: its connection reaches the server but logs in only after the go-ahead, and
 * never when the session is closed first.
 */
class TentativeSessionTest {
    @TempDir
    static Path dir;
    static SshFixtures.Server server;

    @BeforeAll
    static void start() throws Exception { server = SshFixtures.Server.start(dir, "LogLevel VERBOSE"); }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void connectsButLogsInOnlyAfterTheGoAhead() throws Exception {
        long connections = connections();
        long logins = server.sshd().acceptedLogins();
        try (Session session = Session.tentative()) {
            CompletableFuture<SshHost> host = CompletableFuture.supplyAsync(() -> connect(session));
            waitFor(() -> connections() > connections);
            Thread.sleep(500); // time enough for the key exchange and a login, had it not waited
            assertThat(host).isNotDone();
            assertThat(server.sshd().acceptedLogins()).isEqualTo(logins);

            session.goAhead();
            SshHost h = host.get(20, TimeUnit.SECONDS);
            assertThat(h.exec("echo hi", null, Duration.ofSeconds(10)).stdout()).isEqualTo("hi\n");
            assertThat(server.sshd().acceptedLogins()).isEqualTo(logins + 1);
            assertThat(connections()).isEqualTo(connections + 1);
        }
    }

    @Test
    void aSessionClosedBeforeTheGoAheadNeverLogsIn() throws Exception {
        long connections = connections();
        long logins = server.sshd().acceptedLogins();
        Session session = Session.tentative();
        CompletableFuture<SshHost> host = CompletableFuture.supplyAsync(() -> connect(session));
        waitFor(() -> connections() > connections);
        session.close();

        assertThatThrownBy(() -> host.get(20, TimeUnit.SECONDS)).hasRootCauseInstanceOf(ProbeException.class)
                .rootCause().hasMessageContaining("not logged in: the run was called off before it started");
        Thread.sleep(300);
        assertThat(server.sshd().acceptedLogins()).isEqualTo(logins);
        assertThat(session.abandoned()).isTrue();
    }

    @Test
    void anOrdinarySessionNeverWaits() throws Exception {
        try (Session session = new Session()) {
            assertThat(session.awaitGoAhead(0)).isTrue();
            assertThat(server.connect(session).exec("echo hi", null, Duration.ofSeconds(10)).exitCode()).isZero();
        }
    }

    private static SshHost connect(Session session) {
        try {
            return server.connect(session);
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static long connections() {
        try {
            return server.sshd().connections();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }
}
