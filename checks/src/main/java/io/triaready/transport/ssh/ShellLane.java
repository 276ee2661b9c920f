package io.triaready.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

import io.triaready.spi.ExecResult;
import io.triaready.base.yaml.Durations;

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
 * <p>Framing: the command goes to the loop's stdin as a line count and its lines. After it ends the loop
 * writes {@code \n<marker>:<exit code>\n} to stdout and {@code \n<marker>:\n} to stderr, so each stream
 * is cut exactly where the command's own output ended. The loop and the marker (random per lane)
 * are sent on stdin, so neither appears in a process listing. The loop first announces itself ({@code
 * \n<marker>:ready}); a lane whose loop never starts (a restricted shell, a ForceCommand) is
 * {@link Unavailable}, and the connection falls back to a channel per command.
 *
 * <p>Pipelining: a lane may carry several commands at once (the connection decides how many, with
 * {@link #tryClaim}). The next request is written before the previous one has answered and waits in
 * the loop's stdin; replies come back in the order the requests went out, so the n-th stdout record
 * and the n-th stderr record answer the n-th request of {@link #queue}. Every report the loop prints
 * is followed by {@code || exit}: once the lane's channel is closed, sshd has closed the loop's output
 * pipes, so its next report fails (or SIGPIPE kills it) and the loop dies without reading the commands
 * still waiting in its stdin. So when the first command times out and the lane is closed, the ones
 * queued behind it have not started and may run on another lane ({@link Retry}). The exception: if the
 * first one finished within about one network delay of its deadline (before our close reached the
 * server), the loop reported it and started the next, which then runs twice. That is why the
 * connection queues commands only for runs that never change their targets.
 */
final class ShellLane implements AutoCloseable {
    /**
     * The loop: one line, read from stdin and eval'ed (no literal newline: {@code N} is made by printf).
     * Each report ends the loop if it cannot be written ({@code || exit}, for a shell started with
     * SIGPIPE ignored; otherwise SIGPIPE ends it first): see the class comment.
     */
    static final String LOOP = "IFS= read -r M || exit 0; S=${SHELL:-/bin/sh}; N=$(printf \"\\nx\"); N=${N%x}; "
            + "G=; command -v setsid >/dev/null 2>&1 && G=setsid; "
            + "printf \"\\n%s:ready\\n\" \"$M\" || exit; "
            + "while IFS= read -r n; do c=; while [ \"$n\" -gt 0 ]; do IFS= read -r l || exit 0; c=\"$c$l$N\"; n=$((n-1)); done; "
            + "TRIA_M=$M $G /bin/sh -c 'printf \"\\n%s:@%s\\n\" \"$TRIA_M\" \"$$\" || exit 141; unset TRIA_M; exec \"$0\" -c \"$1\"' "
            + "\"$S\" \"$c\" </dev/null & p=$!; wait $p; r=$?; printf \"\\n%s:%s\\n\" \"$M\" \"$r\" || exit; printf \"\\n%s:\\n\" \"$M\" >&2 || exit; done";

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

    /** How a command sent on the lane ended, as the I/O thread saw it; its caller makes the result or exception. */
    private sealed interface Outcome permits Answered, Failed {}

    private record Answered(int status, Record out, Record err) implements Outcome {}

    private enum Failed implements Outcome {
        /** The lane was closed before the command started: {@link Retry}. */
        RETRY,
        /** The channel or the connection closed under it. */
        LOST,
        /** The loop never announced itself: {@link Unavailable}. */
        UNAVAILABLE,
        /** The reply did not end with an exit code. */
        GARBLED
    }

    /** One command sent on the lane, until its reply. */
    private static final class Pending {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        /** Completed with the command's process id (its process group's) when the loop started it. */
        final CompletableFuture<Long> started = new CompletableFuture<>();
        /** Its caller gave up (its deadline passed while it was queued); its reply is still counted. Guarded by the lane. */
        boolean abandoned;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChannelExec channel;
    private final String marker;
    /** Stops a process group on the target (a command that timed out, or one started after its caller left). */
    private final java.util.function.LongConsumer stopOnTarget;
    private OpenFuture opening;
    /** Serializes requests, so the order they are written in is the order of {@link #queue}. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Whether the loop and the marker went out (with the first request). Guarded by {@link #writing}. */
    private boolean loopSent;

    // Guarded by this. MINA's I/O thread delivers records under it: never held while writing to the channel.
    /** Requests sent and not yet answered, oldest first. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Records waiting for the other stream's record of the same command. */
    private final ArrayDeque<Record> outs = new ArrayDeque<>();
    private final ArrayDeque<Record> errs = new ArrayDeque<>();
    private boolean ready;
    /** Callers the connection put on this lane ({@link #tryClaim}) whose {@link #run} has not returned. */
    private int claims;
    /** Abandoned commands still in {@link #queue}. */
    private int abandoned;
    /** We closed the lane: commands not yet answered were sent {@link Failed#RETRY} or will be refused. */
    private boolean stopped;
    /** The channel closed before the loop announced itself. */
    private boolean unavailable;
    /** No more commands: set before the queue is drained, so a broken lane has nothing in flight. */
    private volatile boolean broken;

    private ShellLane(ChannelExec channel, String marker, java.util.function.LongConsumer stopOnTarget) {
        this.channel = channel;
        this.marker = marker;
        this.stopOnTarget = stopOnTarget;
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
        ch.setOut(new Framer(m, SshConnection.MAX_OUTPUT, lane::stdout));
        ch.setErr(new Framer(m, SshConnection.MAX_OUTPUT, lane::stderr));
        ch.addCloseFutureListener(f -> lane.closed());
        lane.opening = ch.open();
        // the loop goes out with the first command, from the caller's thread: writing from the open future's
        // listener would block MINA's I/O thread on its own write
        return lane;
    }

    boolean usable() { return !broken && !channel.isClosing() && !channel.isClosed(); }

    /** Commands on this lane: callers running on it, and abandoned commands it has not answered yet. */
    synchronized int load() { return claims + abandoned; }

    /** Takes a place on this lane for one more command if it carries fewer than {@code limit}; {@link #run} gives it back. */
    synchronized boolean tryClaim(int limit) {
        if (!usable() || load() >= limit) return false;
        claims++;
        return true;
    }

    /**
     * Runs one command, after a place was taken with {@link #tryClaim}, and gives that place back. If
     * the command times out while first in line, the lane is closed (the command's process loses its
     * output pipes, as with a channel of its own) and the commands queued behind it get {@link Retry}.
     * If it times out behind another command, it is left to the lane to skip its reply.
     */
    ExecResult run(String command, io.triaready.spi.Deadline limits, long queueDeadline, long waitingSince)
            throws IOException, TimeoutException, InterruptedException {
        try {
            Duration queueBudget = Duration.ofNanos(Math.max(0, queueDeadline - waitingSince));
            awaitOpen(queueDeadline, queueBudget);
            Pending p = send(request(command), queueDeadline, queueBudget);
            long start = awaitStart(p, queueDeadline, queueBudget);
            if (!p.started.isDone()) { // ended before it started (the lane closed): nothing to report as waited
                Answered a = answered(p.outcome.join());
                return new ExecResult(a.status(), a.out().text(), a.err().text(), Duration.ZERO);
            }
            Duration own = limits.afterWaiting(Duration.ofNanos(Math.max(0, start - waitingSince)));
            Answered a = answered(await(p, start + own.toNanos(), limits.timeout()));
            return new ExecResult(a.status(), a.out().text(), a.err().text(), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            synchronized (this) {
                claims--;
            }
        }
    }

    private static String request(String command) {
        String body = command.endsWith("\n") ? command.substring(0, command.length() - 1) : command;
        int lines = 1;
        for (int i = 0; i < body.length(); i++) if (body.charAt(i) == '\n') lines++;
        return lines + "\n" + body + "\n";
    }

    private void awaitOpen(long deadline, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        if (!opening.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
            close();
            throw new SshConnection.NoChannel("the server did not open an SSH lane within " + Durations.format(timeout));
        }
        if (opening.isOpened()) return;
        Throwable e = opening.getException();
        boolean closedByUs;
        synchronized (this) {
            closedByUs = stopped;
        }
        close();
        if (e instanceof SshChannelOpenException) throw new Refused(SshSettings.oneLine(e));
        if (closedByUs) throw new Retry(); // another caller's deadline passed while the lane opened
        throw new IOException("cannot open a channel: " + (e == null ? "connection closed" : SshSettings.oneLine(e)), e);
    }

    /** Writes a request (the first one with the loop and the marker, in one packet) and queues its reply. */
    private Pending send(String request, long deadline, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        if (!writing.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)) {
            throw new SshConnection.NoChannel("the command could not be sent within " + Durations.format(timeout));
        }
        try {
            Pending p = new Pending();
            synchronized (this) {
                if (unavailable) throw new Unavailable("the command loop did not start on this host");
                if (broken) throw new Retry();
                queue.addLast(p);
            }
            String text = loopSent ? request : LOOP + "\n" + marker + "\n" + request;
            try {
                OutputStream in = channel.getInvertedIn();
                in.write(text.getBytes(StandardCharsets.UTF_8));
                in.flush();
                loopSent = true;
            } catch (IOException e) {
                boolean wasReady;
                synchronized (this) {
                    wasReady = ready;
                    queue.remove(p);
                    finishAll(Failed.LOST); // the channel is gone: as if it had closed
                }
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
    private long awaitStart(Pending p, long queueDeadline, Duration queueBudget) throws IOException, TimeoutException, InterruptedException {
        try {
            CompletableFuture.anyOf(p.started, p.outcome).get(remaining(queueDeadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            synchronized (this) {
                if (!p.started.isDone() && !p.outcome.isDone()) {
                    p.abandoned = true;
                    abandoned++;
                    if (e instanceof InterruptedException ie) throw ie;
                    throw new SshConnection.NoChannel("the command did not start within " + Durations.format(queueBudget)
                            + ": it was queued behind another command on the same SSH lane");
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never: completed normally
        }
        return System.nanoTime();
    }

    private Outcome await(Pending p, long deadline, Duration timeout) throws TimeoutException, InterruptedException {
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
    private Outcome giveUp(Pending p, Duration timeout, Exception why) throws TimeoutException, InterruptedException {
        synchronized (this) {
            if (p.outcome.isDone()) return p.outcome.join(); // it came just now
            // it started (awaitStart), so it is first in line: it is hung
            queue.remove(p);
            stop(Failed.RETRY);
        }
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

    // ------------------------------------------------------------------------- on MINA's I/O thread

    private synchronized void stdout(Record r) {
        if (ready && r.tail().startsWith("@")) {
            started(r.tail().substring(1));
        } else if (ready) {
            outs.addLast(r);
            pair();
        } else if (r.tail().equals("ready")) {
            ready = true;
        } else {
            unavailable = true;
            finishAll(Failed.UNAVAILABLE);
        }
    }

    private synchronized void stderr(Record r) {
        errs.addLast(r);
        pair();
    }

    /** Answers the oldest request with each pair of records (cheap: the caller decodes the text). */
    private void pair() {
        while (!outs.isEmpty() && !errs.isEmpty()) {
            Record o = outs.pollFirst();
            Record e = errs.pollFirst();
            Pending p = queue.pollFirst();
            if (p == null) continue; // the lane was stopped: nobody waits for this reply
            if (p.abandoned) abandoned--;
            Integer status = status(o.tail());
            if (status == null) {
                p.outcome.complete(Failed.GARBLED);
                stop(Failed.GARBLED);
                closeLater();
                return;
            }
            p.outcome.complete(new Answered(status, o, e));
        }
    }

    /**
     * The loop started a command and says its process id: the command is the one after those whose
     * stdout record came already. If its caller gave up while it was queued, nobody will time it out:
     * it is stopped at once, and the lane with it.
     */
    private void started(String pidText) {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            return;
        }
        int i = 0;
        for (Pending p : queue) {
            if (i++ < outs.size()) continue;
            p.started.complete(pid);
            if (p.abandoned) {
                stopOnTarget.accept(pid);
                stop(Failed.RETRY);
                closeLater();
            }
            return;
        }
    }

    private static Integer status(String tail) {
        try {
            return Integer.parseInt(tail);
        } catch (NumberFormatException x) {
            return null;
        }
    }

    /** The channel closed: by us, or under us (the server, the network). */
    private synchronized void closed() {
        if (!stopped && !ready) unavailable = true;
        finishAll(ready ? Failed.LOST : Failed.UNAVAILABLE);
    }

    /**
     * Closes the channel off MINA's I/O thread: closing flushes the channel's input stream, which may wait
     * for a caller's write, which may wait for a window adjustment only the I/O thread can deliver.
     */
    private void closeLater() {
        CompletableFuture.runAsync(() -> channel.close(false));
    }

    // --------------------------------------------------------------------------------- under the lock

    /** Every command not answered yet gets {@code f}: the channel is gone under them. */
    private void finishAll(Failed f) {
        fail(f, f);
    }

    /**
     * We close the lane: the first command not answered (which may be running) gets {@code first}, the
     * ones behind it {@link Failed#RETRY} (they have not started: see the class comment).
     */
    private void stop(Failed first) {
        stopped = true;
        fail(first, Failed.RETRY);
    }

    /** Ends the lane for its commands: the oldest unanswered one gets {@code head}, the rest {@code rest}. */
    private void fail(Failed head, Failed rest) {
        broken = true;
        Pending first = queue.peekFirst();
        for (Pending p : queue) p.outcome.complete(p == first ? head : rest);
        queue.clear();
        abandoned = 0;
    }

    /**
     * Closes the lane: politely (EOF, then CLOSE), so that sshd closes the loop's pipes at once and the
     * loop exits; closing only our end would leave it running, and its session counted, until the
     * connection ends.
     */
    @Override
    public void close() {
        synchronized (this) {
            stop(Failed.LOST);
        }
        channel.close(false);
    }

    private static long remaining(long deadline) { return Math.max(0, deadline - System.nanoTime()); }

    /** One command's output on one stream, and what followed the marker (the exit code on stdout). */
    record Record(byte[] content, String tail) {
        String text() { return new String(content, StandardCharsets.UTF_8); }
    }

    /**
     * Cuts one stream into records at {@code \n<marker>:<tail>\n}, handed to {@code sink} in order (on
     * MINA's I/O thread). The pattern has its only newline
     * first, so a mismatch restarts the match at most at the current byte. Content beyond {@code max}
     * bytes is dropped (the stream is still scanned), as for a channel of its own.
     */
    static final class Framer extends OutputStream {
        private final Consumer<Record> sink;
        private final byte[] pattern;
        private final int max;
        private final java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        private final StringBuilder tail = new StringBuilder();
        private int matched;
        private boolean inTail;

        Framer(byte[] marker, int max, Consumer<Record> sink) {
            this.sink = sink;
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
                    sink.accept(new Record(content.toByteArray(), tail.toString()));
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
