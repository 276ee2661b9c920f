package io.triaready.transport.ssh;

import static io.triaready.transport.ssh.SshFixtures.connect;
import static io.triaready.transport.ssh.SshFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FilePeek;
import io.triaready.spi.Session;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 for SSH: an outcome depends on the target and the command's own timeout only, never on a slow
 * neighbour, the number of commands or the server's MaxSessions; a timed-out command is stopped on the
 * target; a connection is shared only by hosts with the same settings. Against a real sshd.
 */
class SshReliabilityTest {
    @TempDir
    static Path dir;
    static SshFixtures.Server server;
    static Sshd small;
    static Path smallKnownHosts;
    private ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        server = SshFixtures.Server.start(dir);
        small = Sshd.builder(dir.resolve("small")).authorize(Keys.pub(server.key())).config("MaxSessions 2").start();
        smallKnownHosts = small.writeKnownHosts(dir.resolve("kh-small"));
    }

    @AfterAll
    static void stop() {
        if (small != null) small.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void threads() { pool = Executors.newFixedThreadPool(200); }

    @AfterEach
    void stopThreads() { pool.shutdownNow(); }

    /**
     * A check's budget as the engine keeps it (ProbeContext's contract): {@code timeout} of its own, up
     * to {@code queue} waiting for a slot, and a reported wait moves its deadline out by as much.
     */
    static Deadline budget(Duration timeout, Duration queue) {
        return Deadline.forCheck(timeout, queue, null);
    }

    private static String pgrep(String pattern) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", pattern).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** Waits up to 10 s for no process matching {@code pattern}; what still matched otherwise. */
    private static String goneFromProcessTable(String pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String left = pgrep(pattern);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = pgrep(pattern);
        }
        return left;
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "shell"})
    void aSlowNeighbourNeitherFailsHealthyCommandsNorKeepsRunningOnTheTarget(String exec) throws Exception {
        String marker = "4242." + (exec.equals("channel") ? "1" : "2");
        // a read-only run: lanes may queue commands behind the hung one
        try (Session session = new Session()) {
            session.markReadOnly();
            SshHost host = server.connect(session, "exec", exec);
            // the hung one has a child of its own in its process group: both must go
            Future<ExecResult> hung = pool.submit(() -> host.exec("sleep 1" + marker + " & sleep " + marker + "; wait", null,
                    budget(Duration.ofSeconds(3), Duration.ofSeconds(30))));
            Thread.sleep(100);
            List<Future<ExecResult>> echoes = new ArrayList<>();
            for (int i = 0; i < 39; i++) {
                String command = "echo ok" + i;
                echoes.add(pool.submit(() -> host.exec(command, null, budget(Duration.ofSeconds(3), Duration.ofSeconds(30)))));
            }
            for (int i = 0; i < echoes.size(); i++) {
                ExecResult r = echoes.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.stdout()).isEqualTo("ok" + i + "\n");
                assertThat(r.exitCode()).isZero();
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> hung.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessage("command did not finish within 3s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            // stopped on the target: the process group, its background child included
            assertThat(goneFromProcessTable("sleep 1?" + marker.replace(".", "\\."))).as("left running on the target").isEmpty();
            // and the connection goes on
            assertThat(host.exec("echo after", null, Duration.ofSeconds(10)).stdout()).isEqualTo("after\n");
        }
    }

    @Test
    void aTimedOutCommandIsStoppedOnTheTargetEvenWhenItsSessionFillsTheServersMaxSessions() throws Exception {
        try (Session session = new Session()) {
            SshHost host = connect(server.connector(), session, "web", settings(small, server.key(), smallKnownHosts, "max_channels", 2));
            // both sessions hung: the stop needs a channel the server refuses, and takes a connection of its own
            List<Future<ExecResult>> hung = new ArrayList<>();
            for (int i = 0; i < 2; i++) hung.add(pool.submit(() -> host.exec("sleep 4243.5", null, Duration.ofSeconds(1))));
            for (Future<ExecResult> f : hung) {
                assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
            }
            assertThat(goneFromProcessTable("sleep 4243\\.5")).as("left running on the target").isEmpty();
            assertThat(host.exec("echo after", null, Duration.ofSeconds(10)).stdout()).isEqualTo("after\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "shell"})
    void twoHundredCommandsAtOnceAgainstMaxSessionsTwoAllSucceed(String exec) throws Exception {
        try (Session session = new Session()) {
            session.markReadOnly();
            SshHost host = connect(server.connector(), session, "web", settings(small, server.key(), smallKnownHosts, "exec", exec));
            List<Future<ExecResult>> results = new ArrayList<>();
            List<Deadline> budgets = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String command = "echo ok" + i;
                Deadline b = budget(Duration.ofSeconds(10), Duration.ofSeconds(60));
                budgets.add(b);
                results.add(pool.submit(() -> host.exec(command, null, b)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(120, TimeUnit.SECONDS).stdout()).isEqualTo("ok" + i + "\n");
            }
            assertThat(host.peakChannels()).isLessThanOrEqualTo(SshSettings.DEFAULT_MAX_CHANNELS);
            // most of them waited for one of the two sessions, and said so
            assertThat(budgets.stream().filter(b -> b.queued().toMillis() > 0).count()).isGreaterThan(100);
        }
    }

    @Test
    void aFileReadWaitingForAChannelWaitsInLineNotOnItsOwnTime() throws Exception {
        try (Session session = new Session()) {
            SshHost host = connect(server.connector(), session, "web", settings(small, server.key(), smallKnownHosts));
            // both sessions the server allows are busy for 2 s; the file check's own time is 1 s
            List<Future<ExecResult>> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) holders.add(pool.submit(() -> host.exec("sleep 2", null, Duration.ofSeconds(20))));
            Thread.sleep(500);
            Deadline check = budget(Duration.ofSeconds(1), Duration.ofSeconds(30));
            FilePeek peek = host.peek("/etc/hostname", FilePeek.PEEK_BYTES, check.forCommand());
            assertThat(peek.stat()).as("read once a channel was free").isPresent();
            assertThat(check.queued()).as("the wait for a channel is the run's, reported as queued").isGreaterThan(Duration.ofMillis(800));
            assertThat(check.remaining()).as("and it moved the check's own deadline out").isPositive();
            for (Future<ExecResult> f : holders) assertThat(f.get(60, TimeUnit.SECONDS).exitCode()).isZero();
        }
    }

    @Test
    void aCommandThatCannotGetAChannelBeforeItsQueueDeadlineSaysSoPlainly() throws Exception {
        try (Session session = new Session()) {
            SshHost host = connect(server.connector(), session, "web", settings(small, server.key(), smallKnownHosts));
            List<Future<ExecResult>> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++) holders.add(pool.submit(() -> host.exec("sleep 1.5", null, Duration.ofSeconds(20))));
            Thread.sleep(700);
            // its queue deadline 500 ms away: a plain deadline, whose wait eats its own time
            Deadline b = Deadline.of(Duration.ofMillis(500));
            assertThatThrownBy(() -> host.exec("echo late", null, b)).isInstanceOf(IOException.class)
                    .hasMessageMatching("ssh root@127\\.0\\.0\\.1:\\d+: no free SSH channel on root@127\\.0\\.0\\.1:\\d+ within (4[5-9][0-9]|500)ms: "
                            + "the server allows 2 sessions at once \\(MaxSessions\\) and [2-3] commands were ahead");
            for (Future<ExecResult> f : holders) assertThat(f.get(60, TimeUnit.SECONDS).exitCode()).isZero();
        }
    }

    @Test
    void commandsWithStdinOnLanesDoNotWaitForTheLanesChannels() throws Exception {
        try (Session session = new Session()) {
            session.markReadOnly();
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 2);
            for (int round = 0; round < 8; round++) {
                List<Future<ExecResult>> plain = new ArrayList<>();
                for (int i = 0; i < 6; i++) plain.add(pool.submit(() -> host.exec("echo lane", null, Duration.ofSeconds(5))));
                String input = "in" + round;
                Future<ExecResult> withStdin = pool.submit(() -> host.exec("cat", input.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)));
                for (Future<ExecResult> f : plain) assertThat(f.get(30, TimeUnit.SECONDS).stdout()).isEqualTo("lane\n");
                assertThat(withStdin.get(30, TimeUnit.SECONDS).stdout()).isEqualTo(input);
            }
        }
    }

    @Test
    void hostsWithTheSameAddressButDifferentKeysOrKnownHostsDoNotShareAConnection() throws Exception {
        Path wrongKey = Keys.keygen(dir.resolve("id_wrong"), "ecdsa", false, null, "wrong");
        Path otherKnownHosts = Files.copy(server.knownHosts(), dir.resolve("kh-copy"));
        for (boolean wrongFirst : new boolean[] {true, false}) {
            try (Session session = new Session()) {
                long before = server.sshd().acceptedLogins();
                SshHost right;
                Exception wrong;
                if (wrongFirst) {
                    wrong = connectFailure(session, "wrong", wrongKey);
                    right = SshFixtures.connect(server.connector(), session, "right", server.settings());
                } else {
                    right = SshFixtures.connect(server.connector(), session, "right", server.settings());
                    wrong = connectFailure(session, "wrong", wrongKey);
                }
                assertThat(wrong).as("a wrong key never rides on a right one").isNotNull();
                assertThat(wrong.getMessage()).contains("authentication failed");
                assertThat(right.exec("echo right", null, Duration.ofSeconds(5)).stdout()).isEqualTo("right\n");
                // the same key through another known_hosts file: a connection of its own; a second name, the same one
                SshHost other = SshFixtures.connect(server.connector(), session, "other", server.settings("known_hosts", otherKnownHosts.toString()));
                SshHost alias = SshFixtures.connect(server.connector(), session, "alias", server.settings());
                assertThat(other.exec("echo other", null, Duration.ofSeconds(5)).stdout()).isEqualTo("other\n");
                assertThat(alias.exec("echo alias", null, Duration.ofSeconds(5)).stdout()).isEqualTo("alias\n");
                assertThat(server.sshd().acceptedLogins() - before).isEqualTo(2);
            }
        }
    }

    private static Exception connectFailure(Session session, String name, Path key) {
        try {
            SshHost h = SshFixtures.connect(server.connector(), session, name, server.settings("identity", key.toString()));
            h.exec("true", null, Duration.ofSeconds(5));
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void theConnectionKeyCoversEverythingThatAuthenticatesAndNeverShowsASecret() throws Exception {
        SshSettings.Environment env = new SshSettings.Environment(dir, "root", k -> null);
        SshSettings base = SshSettings.resolve("a", server.settings("passphrase", "s3cret-one"), env);
        assertThat(SshSettings.resolve("b", server.settings("passphrase", "s3cret-one"), env).connectionKey()).isEqualTo(base.connectionKey());
        for (Object[] change : new Object[][] {{"passphrase", "s3cret-two"}, {"identity", dir.resolve("id_other").toString()},
                {"known_hosts", dir.resolve("kh-other").toString()}, {"proxy_jump", "root@127.0.0.1:" + small.port()},
                {"agent", dir.resolve("agent.sock").toString()}, {"sudo_password", "x"}, {"exec", "shell"}}) {
            assertThat(SshSettings.resolve("c", server.settings("passphrase", "s3cret-one", change[0], change[1]), env).connectionKey())
                    .as("a different %s", change[0]).isNotEqualTo(base.connectionKey());
        }
        assertThat(base.connectionKey()).doesNotContain("s3cret").startsWith("ssh:root@127.0.0.1:" + server.sshd().port() + "#");
    }
}
