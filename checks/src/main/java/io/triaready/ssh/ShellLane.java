package io.triaready.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

import io.triaready.host.ExecResult;
import io.triaready.playbook.Durations;

/**
 * One exec channel running a small POSIX {@code sh} loop that runs commands one after another, each
 * as {@code $SHELL -c COMMAND </dev/null} in a child process of its own, exactly as sshd would run it
 * on a channel of its own. Why: sshd sets up a session (fork, environment, login shell) for every
 * exec channel, which costs the target ~10 ms of CPU and the client a channel-open round trip per
 * command; a lane pays that once and then costs one round trip and one fork per command. Nothing
 * carries over between commands: each runs in its own process with no stdin.
 *
 * <p>Framing: the command goes to the loop's stdin as a line count and its lines. After it ends the loop
 * writes {@code \n<marker>:<exit code>\n} to stdout and {@code \n<marker>:\n} to stderr, so each stream
 * is cut exactly where the command's own output ended. The loop and the marker (random per lane)
 * are sent on stdin, so neither appears in a process listing. The loop first announces itself ({@code
 * \n<marker>:ready}); a lane whose loop never starts (a restricted shell, a ForceCommand) is
 * {@link Unavailable}, and the connection falls back to a channel per command.
 */
final class ShellLane implements AutoCloseable {
    /** The loop: one line, read from stdin and eval'ed (no literal newline: {@code N} is made by printf). */
    static final String LOOP = "IFS= read -r M || exit 0; S=${SHELL:-/bin/sh}; N=$(printf \"\\nx\"); N=${N%x}; printf \"\\n%s:ready\\n\" \"$M\"; "
            + "while IFS= read -r n; do c=; while [ \"$n\" -gt 0 ]; do IFS= read -r l || exit 0; c=\"$c$l$N\"; n=$((n-1)); done; "
            + "\"$S\" -c \"$c\" </dev/null; r=$?; printf \"\\n%s:%s\\n\" \"$M\" \"$r\"; printf \"\\n%s:\\n\" \"$M\" >&2; done";

    /** The server refused the lane's channel (at its MaxSessions): the command did not run. */
    static final class Refused extends IOException {
        Refused(String message) { super(message); }
    }

    /** The loop cannot run on this host: use a channel per command instead. */
    static final class Unavailable extends IOException {
        Unavailable(String message) { super(message); }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Record CLOSED = new Record(new byte[0], "closed");

    private final ChannelExec channel;
    private final byte[] marker;
    private final Framer out;
    private final Framer err;
    private OpenFuture opening;
    private boolean ready;
    private volatile boolean broken;

    private ShellLane(ChannelExec channel, byte[] marker, Framer out, Framer err) {
        this.channel = channel;
        this.marker = marker;
        this.out = out;
        this.err = err;
    }

    /**
     * Opens the channel and starts the loop without waiting for anything: the first command waits for
     * the channel (so lanes opened ahead of need cost no one a round trip).
     */
    static ShellLane start(ClientSession session) throws IOException {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        byte[] marker = ("tria-" + HexFormat.of().formatHex(bytes)).getBytes(StandardCharsets.US_ASCII);
        Framer out = new Framer(marker, SshConnection.MAX_OUTPUT);
        Framer err = new Framer(marker, SshConnection.MAX_OUTPUT);
        // exec: the login shell (whatever it is) hands over to sh at once; sh reads the loop as one line
        // from stdin (read reads no further than that line), so a process listing on the target shows only that short
        // line, never the loop (a process check matching on arguments must not match it)
        ChannelExec ch = session.createExecChannel("exec /bin/sh -c 'IFS= read -r L; eval \"$L\"'");
        ch.setOut(out);
        ch.setErr(err);
        ShellLane lane = new ShellLane(ch, marker, out, err);
        ch.addCloseFutureListener(f -> lane.closed());
        lane.opening = ch.open();
        // the loop goes out with the first command, from the caller's thread: writing from the open future's
        // listener would block MINA's I/O thread on its own write
        return lane;
    }


    private void awaitOpen(long deadline, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        if (!opening.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            broken = true;
            channel.close(true);
            throw new TimeoutException("command did not start within " + Durations.format(timeout));
        }
        if (!opening.isOpened()) {
            broken = true;
            channel.close(true);
            Throwable e = opening.getException();
            if (e instanceof SshChannelOpenException) throw new Refused(SshSettings.oneLine(e));
            throw new IOException("cannot open a channel: " + (e == null ? "connection closed" : SshSettings.oneLine(e)), e);
        }
    }

    boolean usable() { return !broken && !channel.isClosing() && !channel.isClosed(); }

    /**
     * Runs one command. On a timeout the lane is closed (the command's process loses its output pipes,
     * as with a channel of its own) and must not be reused.
     */
    ExecResult run(String command, long deadline, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        String body = command.endsWith("\n") ? command.substring(0, command.length() - 1) : command;
        int lines = 1;
        for (int i = 0; i < body.length(); i++) if (body.charAt(i) == '\n') lines++;
        // the first command goes out in one packet with the loop and the marker
        String request = lines + "\n" + body + "\n";
        if (!ready) {
            awaitOpen(deadline, timeout);
            request = LOOP + "\n" + new String(marker, StandardCharsets.US_ASCII) + "\n" + request;
        }
        try {
            OutputStream in = channel.getInvertedIn();
            in.write(request.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            broken = true;
            if (!ready) throw new Unavailable("the command loop did not start: " + SshSettings.oneLine(e));
            throw new IOException("connection lost while the command ran", e);
        }
        if (!ready) {
            Record hello = take(out.records, deadline, timeout);
            if (hello == CLOSED || !hello.tail().equals("ready")) {
                broken = true;
                throw new Unavailable("the command loop did not start on this host");
            }
            ready = true;
        }
        Record o = take(out.records, deadline, timeout);
        Record e = o == CLOSED ? CLOSED : take(err.records, deadline, timeout);
        if (o == CLOSED || e == CLOSED) {
            broken = true;
            throw new IOException("connection lost while the command ran");
        }
        int status;
        try {
            status = Integer.parseInt(o.tail());
        } catch (NumberFormatException x) {
            broken = true;
            throw new IOException("unexpected reply from the command loop");
        }
        return new ExecResult(status, o.text(), e.text(), Duration.ofNanos(System.nanoTime() - start));
    }

    private Record take(BlockingQueue<Record> q, long deadline, Duration timeout) throws TimeoutException, InterruptedException {
        Record r = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (r == null) {
            broken = true;
            channel.close(true);
            throw new TimeoutException("command did not finish within " + Durations.format(timeout));
        }
        return r;
    }

    private void closed() {
        broken = true;
        out.records.offer(CLOSED);
        err.records.offer(CLOSED);
    }

    @Override
    public void close() {
        broken = true;
        channel.close(true);
    }

    /** One command's output on one stream, and what followed the marker (the exit code on stdout). */
    record Record(byte[] content, String tail) {
        String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    /**
     * Cuts one stream into records at {@code \n<marker>:<tail>\n}. The pattern has its only newline
     * first, so a mismatch restarts the match at most at the current byte. Content beyond {@code max}
     * bytes is dropped (the stream is still scanned), as for a channel of its own.
     */
    static final class Framer extends OutputStream {
        final BlockingQueue<Record> records = new LinkedBlockingQueue<>();
        private final byte[] pattern;
        private final int max;
        private final java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        private final StringBuilder tail = new StringBuilder();
        private int matched;
        private boolean inTail;

        Framer(byte[] marker, int max) {
            pattern = new byte[marker.length + 2];
            pattern[0] = '\n';
            System.arraycopy(marker, 0, pattern, 1, marker.length);
            pattern[pattern.length - 1] = ':';
            this.max = max;
        }

        @Override
        public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) accept(b[i]);
        }

        private void accept(byte c) {
            if (inTail) {
                if (c == '\n') {
                    records.offer(new Record(content.toByteArray(), tail.toString()));
                    content.reset();
                    tail.setLength(0);
                    inTail = false;
                } else if (tail.length() < 64) {
                    tail.append((char) (c & 0xff));
                }
                return;
            }
            if (c == pattern[matched]) {
                if (++matched == pattern.length) {
                    matched = 0;
                    inTail = true;
                }
                return;
            }
            if (matched > 0) {
                keep(pattern, matched);
                matched = 0;
                if (c == pattern[0]) {
                    matched = 1;
                    return;
                }
            }
            if (content.size() < max) content.write(c);
        }

        private void keep(byte[] b, int n) {
            int room = Math.min(n, max - content.size());
            if (room > 0) content.write(b, 0, room);
        }
    }
}
