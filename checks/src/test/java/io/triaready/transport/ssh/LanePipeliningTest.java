package io.triaready.transport.ssh;

import static io.triaready.transport.ssh.SshFixtures.connect;
import static io.triaready.transport.ssh.SshFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.triaready.spi.ExecResult;
import io.triaready.spi.Session;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several commands in flight on one {@link ShellLane}, against a real sshd. The sshd runs on this
 * machine, so what ran on it is read from files its commands write.
 */
class LanePipeliningTest {
    @TempDir
    static Path dir;
    static SshFixtures.Server server;

    @TempDir
    Path work;
    ExecutorService pool;

    @BeforeAll
    static void start() throws Exception { server = SshFixtures.Server.start(dir); }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @BeforeEach
    void threads() { pool = Executors.newFixedThreadPool(16); }

    @AfterEach
    void stopThreads() { pool.shutdownNow(); }

    private static Session readOnly() {
        Session session = new Session();
        session.markReadOnly();
        return session;
    }

    /** Twelve commands that each wait for the file {@code gate}, then answer with their own output and exit code. */
    private List<Future<ExecResult>> twelveGated(SshHost host, Path gate) {
        List<Future<ExecResult>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String command = "while [ ! -e " + gate + " ]; do sleep 0.01; done; echo out" + i + "; echo err" + i + " >&2; exit " + (i % 7);
            results.add(pool.submit(() -> host.exec(command, null, Duration.ofSeconds(30))));
        }
        return results;
    }

    private static void assertOwnResults(List<Future<ExecResult>> results) throws Exception {
        for (int i = 0; i < results.size(); i++) {
            ExecResult r = results.get(i).get(60, TimeUnit.SECONDS);
            assertThat(r.stdout()).isEqualTo("out" + i + "\n");
            assertThat(r.stderr()).isEqualTo("err" + i + "\n");
            assertThat(r.exitCode()).isEqualTo(i % 7);
        }
    }

    /** Waits up to 20 s for {@code condition}; false if it never held. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    /** The loop shell that ran a command writing its {@code $PPID} to {@code pidFile}. */
    private static long loopPid(Path pidFile) throws Exception {
        assertThat(eventually(() -> Files.exists(pidFile) && readQuietly(pidFile).endsWith("\n"))).as("the first command started").isTrue();
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    @Test
    void aReadOnlyRunSendsManyCommandsAtOnceOnFewLanesAndEachGetsItsOwnResult() throws Exception {
        Path gate = work.resolve("gate");
        try (Session session = readOnly()) {
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 2);
            List<Future<ExecResult>> results = twelveGated(host, gate);
            // the first command on each lane holds it until the gate opens: the others queue behind them
            assertThat(eventually(() -> host.peakLaneLoad() == LanePool.LANE_DEPTH))
                    .as("a lane carried %d commands at once (peak %d)", LanePool.LANE_DEPTH, host.peakLaneLoad()).isTrue();
            Files.createFile(gate);
            assertOwnResults(results);
            assertThat(host.peakChannels()).isEqualTo(2);
            assertThat(host.peakLaneLoad()).isEqualTo(LanePool.LANE_DEPTH);
        }
    }

    @Test
    void aRunThatMayChangeItsTargetsNeverPutsTwoCommandsOnOneLane() throws Exception {
        Session audit = readOnly();
        audit.markMayChangeTargets(); // an audit with --destructive
        for (Session session : List.of(new Session(), audit)) {
            Path gate = work.resolve("gate-" + System.identityHashCode(session));
            try (session) {
                SshHost host = server.connect(session, "exec", "shell", "max_channels", 2);
                List<Future<ExecResult>> results = twelveGated(host, gate);
                // all twelve asked while the first two hold both lanes
                assertThat(eventually(() -> host.commandsInProgress() == 12 && host.peakChannels() == 2)).isTrue();
                Files.createFile(gate);
                assertOwnResults(results);
                assertThat(host.peakLaneLoad()).isEqualTo(1);
            }
        }
    }

    @Test
    void commandsQueuedBehindAHungOneRunOnceOnAnotherLane() throws Exception {
        Path pid = work.resolve("pid");
        Path log = work.resolve("log");
        try (Session session = readOnly()) {
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 1);
            Future<ExecResult> hung = pool.submit(() -> host.exec("echo $PPID > " + pid + "; sleep 4; echo hung >> " + log,
                    null, Duration.ofSeconds(2)));
            long loop = loopPid(pid);
            List<Future<ExecResult>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String command = "echo q" + i + " >> " + log + "; echo q" + i;
                queued.add(pool.submit(() -> host.exec(command, null, Duration.ofSeconds(20))));
            }
            assertThatThrownBy(() -> hung.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessage("command did not finish within 2s");
            for (int i = 0; i < 3; i++) {
                ExecResult r = queued.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.stdout()).isEqualTo("q" + i + "\n");
                assertThat(r.exitCode()).isZero();
            }
            assertThat(host.peakLaneLoad()).as("the three were queued behind the hung one").isEqualTo(4);
            assertThat(host.peakChannels()).isEqualTo(1);
            // the hung command ends on its closed lane, and the loop with it: it must not run what was queued
            assertThat(eventually(() -> gone(loop))).as("the closed lane's loop exits").isTrue();
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            Collections.sort(lines);
            // the hung command was stopped on the target at its timeout: it never wrote its line
            assertThat(lines).containsExactly("q0", "q1", "q2");
        }
    }

    @Test
    void aClosedLaneDoesNotRunTheCommandsLeftInItsInput() throws Exception {
        try (Session session = readOnly()) {
            closedLaneRunsNothingMore(server.connect(session, "exec", "shell", "max_channels", 1), "plain");
        }
        // a login wrapper that ignores SIGPIPE (as a service started by systemd does): the loop inherits it,
        // so a failed report kills it no more, and only its "|| exit" stops it
        try (Sshd wrapped = Sshd.builder(dir.resolve("sigpipe")).authorize(Keys.pub(server.key()))
                     .config("ForceCommand trap '' PIPE; eval \"$SSH_ORIGINAL_COMMAND\"").start();
             Session session = readOnly()) {
            SshHost host = connect(server.connector(), session, "web", settings(wrapped, server.key(), wrapped.writeKnownHosts(dir.resolve("kh-sigpipe")),
                    "exec", "shell", "max_channels", 1));
            assertThat(host.exec("grep SigIgn /proc/$PPID/status", null, Duration.ofSeconds(10)).stdout())
                    .as("the loop ignores SIGPIPE (bit 13)").matches("SigIgn:\\s+\\p{XDigit}*[1-9a-f]\\p{XDigit}{3}\\s*");
            closedLaneRunsNothingMore(host, "sigpipe");
        }
    }

    /** A hung command with three given up behind it: closing the lane must end its loop before it runs them. */
    private void closedLaneRunsNothingMore(SshHost host, String name) throws Exception {
        Path pid = work.resolve(name + ".pid");
        Path log = work.resolve(name + ".log");
        Future<ExecResult> hung = pool.submit(() -> host.exec("echo $PPID > " + pid + "; sleep 3", null, Duration.ofSeconds(2)));
        long loop = loopPid(pid);
        // queued behind the hung command, and given up before it: they wait in the loop's stdin
        for (int i = 0; i < 3; i++) {
            String command = "echo q" + i + " >> " + log;
            assertThatThrownBy(() -> host.exec(command, null, Duration.ofMillis(300))).isInstanceOf(java.io.IOException.class)
                    .hasMessageEndingWith(": the command did not start within 300ms: it was queued behind another command on the same SSH lane");
        }
        assertThat(host.peakLaneLoad()).isEqualTo(4);
        assertThatThrownBy(() -> hung.get(60, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        // the lane is closed; when the sleep ends the loop's next report fails and it exits
        assertThat(eventually(() -> gone(loop))).as("the closed lane's loop exits").isTrue();
        assertThat(log).doesNotExist();
        // and the connection goes on with a new lane
        assertThat(host.exec("echo next", null, Duration.ofSeconds(10)).stdout()).isEqualTo("next\n");
    }
}
