package io.triaready.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.triaready.spi.Session;
import io.triaready.spi.SpeedTricks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One switch turns every SSH speed trick off: against a real sshd logging at DEBUG, a connection of a
 * session with {@link SpeedTricks#OFF} reports none in use, logs in the plain way (a "none" request
 * first, as MINA and OpenSSH do), and runs its commands on channels even with {@code exec: shell};
 * the same connection with the tricks on (the default) uses them all.
 */
class SpeedTricksSwitchTest {
    @TempDir
    static Path dir;
    static SshFixtures.Server server;

    @BeforeAll
    static void start() throws Exception { server = SshFixtures.Server.start(dir, "LogLevel DEBUG"); }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void byDefaultEveryTrickApplies() throws Exception {
        int before = noneRequests();
        try (Session session = new Session()) {
            session.markReadOnly();
            session.expectObservationsPerHost(4);
            SshHost host = server.connect(session, "exec", "shell");
            assertThat(host.exec("echo on", null, Duration.ofSeconds(10)).stdout()).isEqualTo("on\n");
            assertThat(host.speedTricks()).isEqualTo(EnumSet.of(SpeedTrick.QUICK_AUTH, SpeedTrick.QUICK_ACK_IO,
                    SpeedTrick.CRYPTO_WARM_UP, SpeedTrick.LANES, SpeedTrick.LANES_AHEAD, SpeedTrick.PIPELINING));
        }
        assertThat(noneRequests()).as("'none' login requests").isEqualTo(before);
    }

    @Test
    void offTurnsEachTrickOff() throws Exception {
        int before = noneRequests();
        try (Session session = new Session()) {
            session.useSpeedTricks(SpeedTricks.OFF);
            session.markReadOnly();
            session.expectObservationsPerHost(4);
            SshHost host = server.connect(session, "exec", "shell");
            List<String> out = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) out.add(host.exec("echo off" + i, null, Duration.ofSeconds(10)).stdout());
            assertThat(out).containsExactly("off0\n", "off1\n", "off2\n");
            assertThat(host.speedTricks()).isEmpty();
            assertThat(host.peakLaneLoad()).as("commands on a lane at once").isZero(); // no lane was used: a channel each
        }
        // MINA's own login: a "none" request first, then the key asked about before it signs
        assertThat(noneRequests()).as("'none' login requests").isEqualTo(before + 1);
    }

    /** A tentative session (the CLI's head start, made only with the tricks on) connects before its go-ahead. */
    @Test
    void aConnectionMadeBeforeTheGoAheadSaysSo() throws Exception {
        long connections = server.sshd().connections();
        try (Session session = Session.tentative()) {
            CompletableFuture<SshHost> host = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.connect(session);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.sshd().connections() == connections && System.nanoTime() < until) Thread.sleep(10);
            session.goAhead();
            assertThat(host.get(20, TimeUnit.SECONDS).speedTricks()).contains(SpeedTrick.PRECONNECT);
        }
        try (Session plain = new Session()) {
            assertThat(server.connect(plain).speedTricks()).doesNotContain(SpeedTrick.PRECONNECT);
        }
    }

    @Test
    void theSwitchIsReadFromTheEnvironmentAsOffOrOn() {
        assertThat(SpeedTricks.fromEnvironment(null)).isEqualTo(SpeedTricks.ON);
        assertThat(SpeedTricks.fromEnvironment("off")).isEqualTo(SpeedTricks.OFF);
        assertThat(SpeedTricks.fromEnvironment(" OFF ")).isEqualTo(SpeedTricks.OFF);
        assertThat(SpeedTricks.fromEnvironment("0")).isEqualTo(SpeedTricks.OFF);
        assertThat(SpeedTricks.fromEnvironment("on")).isEqualTo(SpeedTricks.ON);
        assertThat(SpeedTricks.of(true, null)).isEqualTo(SpeedTricks.OFF);
        assertThat(SpeedTricks.of(false, "off")).isEqualTo(SpeedTricks.OFF);
        assertThat(new Session().speedTricks()).as("a session's default: this process's environment")
                .isEqualTo(SpeedTricks.fromEnvironment(System.getenv(SpeedTricks.ENV)));
    }

    private static int noneRequests() throws Exception {
        return (int) server.sshd().log().lines().filter(l -> l.contains("userauth-request for user") && l.contains("method none")).count();
    }
}
