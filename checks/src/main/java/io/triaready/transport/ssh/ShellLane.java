package io.triaready.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.triaready.base.yaml.Durations;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.transport.ssh.LaneRequest.Answered;
import io.triaready.transport.ssh.LaneRequest.Failed;
import io.triaready.transport.ssh.LaneRequest.Outcome;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * One exec channel running a small POSIX {@code sh} loop that runs commands one after another, each
 * as {@code $SHELL -c COMMAND </dev/null} in a child process of its own, exactly as sshd would run it
 * on a channel of its own. Why: sshd sets up a session (fork, environment, login shell) for every
 * exec channel, which costs the target ~10 ms of CPU and the client a channel-open round trip per
 * command; a lane pays that once and then costs one round trip and one fork per command. Nothing
 * carries over between commands: each runs in its own process with no stdin.
 *
 * <p>Each command runs in the background under {@code setsid} (when the target has it), so it leads a
 * process group of its own, and the loop waits for it. Its shell first prints {@code \n<marker>:@<pid>\n}
 * to stdout, before the command runs: that is when the command's own time starts (waiting behind
 * earlier commands is queueing), and the group a timeout stops on the target.
 *
 * <p>Framing (how commands go in and replies come out): see {@link LaneProtocol}. A lane whose loop
 * never starts (a restricted shell, a ForceCommand) is {@link Unavailable}, and the connection falls
 * back to a channel per command.
 *
 * <p>Pipelining: a lane may carry several commands at once (the connection decides how many, with
 * {@link #tryClaim}). The next request is written before the previous one has answered and waits in
 * the loop's stdin; replies come back in the order the requests went out, so the n-th stdout record
 * and the n-th stderr record answer the n-th request of {@link LaneQueue}. Every report the loop prints
 * is followed by {@code || exit}: once the lane's channel is closed, sshd has closed the loop's output
 * pipes, so its next report fails (or SIGPIPE kills it) and the loop dies without reading the commands
 * still waiting in its stdin. So when the first command times out and the lane is closed, the ones
 * queued behind it have not started and may run on another lane ({@link Retry}). The exception: if the
 * first one finished within about one network delay of its deadline (before our close reached the
 * server), the loop reported it and started the next, which then runs twice. That is why the
 * connection queues commands only for runs that never change their targets.
 */
final class ShellLane implements AutoCloseable {
    /** The server refused the lane's channel (at its MaxSessions): the command did not run. */
    static final class Refused extends IOException {
        Refused(String message) { super(message); }
    }

    /** The loop cannot run on this host: use a channel per command instead. */
    static final class Unavailable extends IOException {
        Unavailable(String message) { super(message); }
    }

    /** The lane was closed before the command's turn: it did not start, and may run on another lane. */
    static final class Retry extends IOException {
        Retry() { super("the command's SSH lane was closed before its turn"); }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChannelExec channel;
    private final String marker;
    /** Stops a process group on the target (a command that timed out, or one started after its caller left). */
    private final java.util.function.LongConsumer stopOnTarget;
    private OpenFuture opening;
    /** Serializes requests, so the order they are written in is the order of {@link LaneQueue}. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Whether the loop and the marker went out (with the first request). Guarded by {@link #writing}. */
    private boolean loopSent;

    /** The lane's commands and their replies; its lock is the lane's. */
    private final LaneQueue q;

    private ShellLane(ChannelExec channel, String marker, java.util.function.LongConsumer stopOnTarget) {
        this.channel = channel;
        this.marker = marker;
        this.stopOnTarget = stopOnTarget;
        this.q = new LaneQueue(stopOnTarget, this::closeLater);
    }

    /**
     * Opens the channel and starts the loop without waiting for anything: the first command waits for
     * the channel (so lanes opened ahead of need cost no one a round trip).
     */
    static ShellLane start(ClientSession session, java.util.function.LongConsumer stopOnTarget) throws IOException {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String marker = "tria-" + HexFormat.of().formatHex(bytes);
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        // exec: the login shell (whatever it is) hands over to sh at once; sh reads the loop as one line
        // from stdin (read reads no further than that line), so a process listing on the target shows only that short
        // line, never the loop (a process check matching on arguments must not match it)
        ChannelExec ch = session.createExecChannel("exec /bin/sh -c 'IFS= read -r L; eval \"$L\"'");
        ShellLane lane = new ShellLane(ch, marker, stopOnTarget);
        ch.setOut(new LaneProtocol.Framer(m, BoundedOutput.MAX, lane.q::stdout));
        ch.setErr(new LaneProtocol.Framer(m, BoundedOutput.MAX, lane.q::stderr));
        ch.addCloseFutureListener(f -> lane.q.closed());
        lane.opening = ch.open();
        // the loop goes out with the first command, from the caller's thread: writing from the open future's
        // listener would block MINA's I/O thread on its own write
        return lane;
    }

    boolean usable() { return !q.broken() && !channel.isClosing() && !channel.isClosed(); }

    /** Commands on this lane: callers running on it, and abandoned commands it has not answered yet. */
    int load() { return q.load(); }

    /** Takes a place on this lane for one more command if it carries fewer than {@code limit}; {@link #run} gives it back. */
    boolean tryClaim(int limit) {
        synchronized (q) {
            if (!usable() || q.load() >= limit) return false;
            q.claim();
            return true;
        }
    }

    /**
     * Runs one command, after a place was taken with {@link #tryClaim}, and gives that place back. If
     * the command times out while first in line, the lane is closed (the command's process loses its
     * output pipes, as with a channel of its own) and the commands queued behind it get {@link Retry}.
     * If it times out behind another command, it is left to the lane to skip its reply.
     */
    ExecResult run(String command, Deadline limits, long queueDeadline, long waitingSince)
            throws IOException, TimeoutException, InterruptedException {
        try {
            Duration queueBudget = Duration.ofNanos(Math.max(0, queueDeadline - waitingSince));
            awaitOpen(queueDeadline, queueBudget);
            LaneRequest p = send(LaneProtocol.request(command), queueDeadline, queueBudget);
            long start = awaitStart(p, queueDeadline, queueBudget);
            if (!p.started.isDone()) { // ended before it started (the lane closed): nothing to report as waited
                Answered a = answered(p.outcome.join());
                return new ExecResult(a.status(), a.out().text(), a.err().text(), Duration.ZERO);
            }
            Duration own = limits.afterWaiting(Duration.ofNanos(Math.max(0, start - waitingSince)));
            Answered a = answered(await(p, start + own.toNanos(), limits.timeout()));
            return new ExecResult(a.status(), a.out().text(), a.err().text(), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            q.unclaim();
        }
    }

    private void awaitOpen(long deadline, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        if (!opening.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
            close();
            throw new ChannelGate.NoChannel("the server did not open an SSH lane within " + Durations.format(timeout));
        }
        if (opening.isOpened()) return;
        Throwable e = opening.getException();
        boolean closedByUs = q.stopped();
        close();
        if (e instanceof SshChannelOpenException) throw new Refused(SshSettings.oneLine(e));
        if (closedByUs) throw new Retry(); // another caller's deadline passed while the lane opened
        throw new IOException("cannot open a channel: " + (e == null ? "connection closed" : SshSettings.oneLine(e)), e);
    }

    /** Writes a request (the first one with the loop and the marker, in one packet) and queues its reply. */
    private LaneRequest send(String request, long deadline, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        if (!writing.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)) {
            throw new ChannelGate.NoChannel("the command could not be sent within " + Durations.format(timeout));
        }
        try {
            LaneRequest p = q.enqueue();
            String text = loopSent ? request : LaneProtocol.LOOP + "\n" + marker + "\n" + request;
            try {
                OutputStream in = channel.getInvertedIn();
                in.write(text.getBytes(StandardCharsets.UTF_8));
                in.flush();
                loopSent = true;
            } catch (IOException e) {
                boolean wasReady = q.writeFailed(p);
                if (!wasReady) throw new Unavailable("the command loop did not start: " + SshSettings.oneLine(e));
                throw new IOException("connection lost while the command ran", e);
            }
            return p;
        } finally {
            writing.unlock();
        }
    }

    /**
     * Waits until the loop started the command (it reports the process id first) and returns when, as
     * {@link System#nanoTime}: the command's own time counts from there. Until then it waits behind
     * the lane's earlier commands, which is queueing, bounded by {@code queueDeadline}.
     */
    private long awaitStart(LaneRequest p, long queueDeadline, Duration queueBudget) throws IOException, TimeoutException, InterruptedException {
        try {
            CompletableFuture.anyOf(p.started, p.outcome).get(remaining(queueDeadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (q.abandon(p)) {
                if (e instanceof InterruptedException ie) throw ie;
                throw new ChannelGate.NoChannel("the command did not start within " + Durations.format(queueBudget)
                        + ": it was queued behind another command on the same SSH lane");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never: completed normally
        }
        return System.nanoTime();
    }

    private Outcome await(LaneRequest p, long deadline, Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return p.outcome.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            return giveUp(p, timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never: outcomes are completed normally
        }
    }

    /**
     * The caller's deadline passed (or it was interrupted). First in line: its command is hung, so the
     * lane is closed and the commands behind it are retried elsewhere. Behind another: the lane stays,
     * and skips its reply when it comes.
     */
    private Outcome giveUp(LaneRequest p, Duration timeout, Exception why) throws TimeoutException, InterruptedException {
        Outcome came = q.giveUp(p);
        if (came != null) return came; // it came just now
        channel.close(false);
        Long pid = p.started.getNow(null);
        if (pid != null) stopOnTarget.accept(pid); // closing the lane does not signal the command
        if (why instanceof InterruptedException e) throw e;
        throw new TimeoutException("command did not finish within " + Durations.format(timeout));
    }

    private Answered answered(Outcome o) throws IOException {
        if (o instanceof Answered a) return a;
        if (o == Failed.RETRY) {
            channel.close(false); // closed before the command is sent anywhere else (close is idempotent)
            throw new Retry();
        }
        if (o == Failed.UNAVAILABLE) throw new Unavailable("the command loop did not start on this host");
        if (o == Failed.GARBLED) throw new IOException("unexpected reply from the command loop");
        throw new IOException("connection lost while the command ran");
    }

    /**
     * Closes the lane: politely (EOF, then CLOSE), so that sshd closes the loop's pipes at once and the
     * loop exits; closing only our end would leave it running, and its session counted, until the
     * connection ends.
     */
    @Override
    public void close() {
        synchronized (q) {
            q.stop(Failed.LOST);
        }
        channel.close(false);
    }

    /**
     * Closes the channel off MINA's I/O thread: closing flushes the channel's input stream, which may wait
     * for a caller's write, which may wait for a window adjustment only the I/O thread can deliver.
     */
    private void closeLater() {
        CompletableFuture.runAsync(() -> channel.close(false));
    }


    private static long remaining(long deadline) { return Math.max(0, deadline - System.nanoTime()); }
}
