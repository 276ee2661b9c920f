package io.triaready.transport.ssh;

import static io.triaready.transport.ssh.SshFixtures.connect;
import static io.triaready.transport.ssh.SshFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.triaready.spi.ExecResult;
import io.triaready.spi.Session;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands on a {@link ShellLane}: exactly what a channel of their own would give, against a real sshd. */
class ShellLaneTest {
    @TempDir
    static Path dir;
    static SshFixtures.Server server;

    @BeforeAll
    static void start() throws Exception { server = SshFixtures.Server.start(dir); }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static ExecResult run(SshHost host, String command) throws Exception {
        return host.exec(command, null, Duration.ofSeconds(10));
    }

    @Test
    void outputIsCutExactlyWhereEachCommandEnded() throws Exception {
        try (Session session = new Session()) {
            // one channel: every command below runs on the same lane, one after another
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 1);
            assertThat(run(host, "printf 'no newline'").stdout()).isEqualTo("no newline");
            assertThat(run(host, "printf '\\n\\n'").stdout()).isEqualTo("\n\n");
            assertThat(run(host, "true").stdout()).isEmpty();
            // text that looks like the framing (a newline, "tria-", a colon) is output like any other
            ExecResult lookalike = run(host, "printf '\\ntria-0123:0\\n\\ntria-\\n:'; printf '\\ntria-:\\n' >&2; exit 4");
            assertThat(lookalike.stdout()).isEqualTo("\ntria-0123:0\n\ntria-\n:");
            assertThat(lookalike.stderr()).isEqualTo("\ntria-:\n");
            assertThat(lookalike.exitCode()).isEqualTo(4);
            // a multi-line script with indentation, backslashes and quotes arrives as written
            ExecResult script = run(host, "x='a\\\\b'\n  if [ -n \"$x\" ]; then\n    printf '%s|' \"$x\" \"  two  \"\n  fi\nexit 7\n");
            assertThat(script.stdout()).isEqualTo("a\\\\b|  two  |");
            assertThat(script.exitCode()).isEqualTo(7);
            // binary output and a command killed by a signal
            assertThat(run(host, "printf '\\001\\002\\377'").stdout()).isEqualTo("\u0001\u0002\uFFFD");
            assertThat(run(host, "kill -TERM $$").exitCode()).isEqualTo(128 + 15);
            assertThat(host.peakChannels()).isEqualTo(1);
        }
    }

    @Test
    void nothingCarriesOverFromOneCommandToTheNext() throws Exception {
        try (Session session = new Session()) {
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 1);
            String home = run(host, "pwd").stdout();
            run(host, "cd /; X=set; export Y=set; umask 077; exec 3>/dev/null");
            assertThat(run(host, "pwd").stdout()).isEqualTo(home);
            assertThat(run(host, "echo \"${X:-unset} ${Y:-unset} $(umask)\"").stdout()).isEqualTo("unset unset 0022\n");
            // a command that reads its stdin sees end-of-file, not the commands queued after it
            assertThat(run(host, "cat; echo after").stdout()).isEqualTo("after\n");
            assertThat(run(host, "echo next").stdout()).isEqualTo("next\n");
        }
    }

    @Test
    void theTargetsProcessListShowsNeitherTheLoopNorItsMarker() throws Exception {
        try (Session session = new Session()) {
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 1);
            String parent = run(host, "ps -o args= -p $PPID").stdout();
            assertThat(parent).contains("read -r L").doesNotContain("while").doesNotContain("tria-");
        }
    }

    @Test
    void concurrentCommandsShareTheLanesAndEachGetsItsOwnResult() throws Exception {
        long before = server.sshd().acceptedLogins();
        try (Session session = new Session()) {
            SshHost host = server.connect(session, "exec", "shell", "max_channels", 3);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
            try {
                List<java.util.concurrent.Future<ExecResult>> results = new ArrayList<>();
                for (int i = 0; i < 36; i++) {
                    int n = i;
                    results.add(pool.submit(() -> host.exec("sleep 0.0" + (n % 5) + "; echo out" + n + "; echo err" + n + " >&2; exit " + (n % 7),
                            null, Duration.ofSeconds(20))));
                }
                for (int i = 0; i < results.size(); i++) {
                    ExecResult r = results.get(i).get();
                    assertThat(r.stdout()).isEqualTo("out" + i + "\n");
                    assertThat(r.stderr()).isEqualTo("err" + i + "\n");
                    assertThat(r.exitCode()).isEqualTo(i % 7);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(host.peakChannels()).isBetween(1, 3);
        }
        assertThat(server.sshd().acceptedLogins() - before).isEqualTo(1);
    }

    @Test
    void execChannelGivesEveryCommandAChannelOfItsOwn() throws Exception {
        try (Session session = new Session()) {
            SshHost host = server.connect(session, "exec", "channel");
            assertThat(run(host, "ps -o comm= -p $PPID").stdout().strip()).isEqualTo("sshd");
        }
        try (Session session = new Session()) {
            SshHost host = server.connect(session, "exec", "shell");
            assertThat(run(host, "ps -o comm= -p $PPID").stdout().strip()).isEqualTo("sh");
        }
    }

    @Test
    void anUnknownExecIsOneClearError() throws Exception {
        try (Session session = new Session()) {
            assertThatThrownBy(() -> server.connect(session, "exec", "lanes"))
                    .isInstanceOf(io.triaready.spi.ProbeException.class)
                    .hasMessage("ssh host web: 'exec' must be shell or channel, got 'lanes'");
        }
    }

    @Test
    void aHostWhereTheLoopCannotRunFallsBackToAChannelPerCommand() throws Exception {
        // ForceCommand replaces every command, the loop included: it never announces itself
        try (Sshd forced = Sshd.builder(dir.resolve("forced")).authorize(Keys.pub(server.key())).config("ForceCommand echo forced:$SSH_ORIGINAL_COMMAND").start();
             Session session = new Session()) {
            SshHost host = connect(server.connector(), session, "web", settings(forced, server.key(), forced.writeKnownHosts(dir.resolve("kh-forced")), "exec", "shell"));
            ExecResult first = run(host, "echo hello");
            assertThat(first.stdout()).isEqualTo("forced:echo hello\n");
            assertThat(first.exitCode()).isZero();
            assertThat(run(host, "echo again").stdout()).isEqualTo("forced:echo again\n");
        }
    }

    @Test
    void theFramerCutsAStreamFedByteByByteOrAllAtOnce() throws Exception {
        byte[] marker = "tria-abc".getBytes(StandardCharsets.US_ASCII);
        String stream = "\ntria-abc:ready\n" + "one\n\ntria-ab\ntria-abc:0\n" + "\ntria-abc:12\n" + "xx\ntria-abc:3\n";
        for (boolean byteByByte : new boolean[] {true, false}) {
            List<String> got = new ArrayList<>();
            LaneProtocol.Framer f = new LaneProtocol.Framer(marker, 4, r -> got.add(r.text() + "|" + r.tail()));
            byte[] b = stream.getBytes(StandardCharsets.US_ASCII);
            if (byteByByte) for (byte x : b) f.write(x);
            else f.write(b, 0, b.length);
            // content beyond max (4 bytes) is dropped, the framing is not
            assertThat(got).containsExactly("|ready", "one\n|0", "|12", "xx|3");
        }
    }
}
