package io.triaready.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.triaready.base.yaml.Durations;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * Command execution the plain way: each command on an exec channel of its own, taken from the
 * connection's {@link ChannelGate}, its output kept up to {@link BoundedOutput#MAX} per stream, and its
 * process group stopped on the target ({@link RemoteStop}) when it times out.
 */
final class ExecChannels {
    private final SshSettings settings;
    private final ChannelGate gate;
    private final LiveSession live;
    private final RemoteStop stop;
    /** Frees a channel an idle lane holds, while a command waits for one. */
    private final Runnable freeIdleLane;
    /** Starts the line each command's shell prints to stderr with its process id (see {@link PidLine}). */
    private final String pidTag = "tria-pid-" + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
    /** Whether commands get a {@link PidLine}; off on a host where the lanes' loop could not start (a ForceCommand). */
    private volatile boolean pidLines = true;

    ExecChannels(SshSettings settings, ChannelGate gate, LiveSession live, RemoteStop stop, Runnable freeIdleLane) {
        this.settings = settings;
        this.gate = gate;
        this.live = live;
        this.stop = stop;
        this.freeIdleLane = freeIdleLane;
    }

    /** The host rewrites commands (a ForceCommand): send them exactly as written, without a {@link PidLine}. */
    void sendCommandsAsWritten() { pidLines = false; }

    /**
     * Runs a command on an exec channel of its own. Waiting for a channel (in line at the {@link ChannelGate},
     * and again after the server refused one) is queueing, bounded by the queue deadline and reported
     * through {@code limits}; the command's own time starts when its channel is asked for. A command that
     * times out is stopped on the target, with its process group ({@link RemoteStop#stopOnTarget}).
     */
    ExecResult run(String command, byte[] stdin, Deadline limits, Consumer<String> onLine, long start, long queueDeadline)
            throws IOException, TimeoutException, InterruptedException {
        long waitingSince = start;
        long backoffMillis = 20;
        String refusal = null;
        while (true) {
            ChannelGate.Shortage shortage = gate.acquire(queueDeadline, freeIdleLane);
            if (shortage != null) {
                if (refusal != null && shortage.ahead() == 0) throw gate.refused(refusal);
                throw ChannelGate.noFreeChannel(settings.label(), Duration.ofNanos(queueDeadline - start), shortage);
            }
            boolean handedOver = false;
            boolean confirmed = false;
            ChannelExec ch = null;
            try {
                long now = System.nanoTime();
                Duration own = limits.afterWaiting(Duration.ofNanos(now - waitingSince));
                waitingSince = now;
                if (own.isZero()) throw new TimeoutException("command did not start: no time left");
                long deadline = now + own.toNanos();
                ClientSession s = live.get(own);
                BoundedOutput out = new BoundedOutput(onLine);
                BoundedOutput errors = new BoundedOutput(onLine);
                PidLine err = new PidLine(pidTag, errors);
                ch = s.createExecChannel(pidLines ? PidLine.prefix(pidTag, command) : command);
                ch.setOut(out);
                ch.setErr(err);
                OpenFuture of = ch.open();
                // counted on MINA's thread, in the order the server answered: before a refusal that came after
                of.addListener(f -> {
                    if (f.isOpened()) gate.confirmed();
                });
                if (!of.await(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
                    confirmed = of.isOpened();
                    throw new TimeoutException("command did not start within " + Durations.format(own));
                }
                if (!of.isOpened()) {
                    Throwable e = of.getException();
                    ch.close(true);
                    ch = null;
                    if (!(e instanceof SshChannelOpenException)) {
                        throw new IOException("cannot open a channel: " + (e == null ? "connection closed" : SshSettings.oneLine(e)), e);
                    }
                    // at its MaxSessions: the command did not run; it waits in line again for one of ours to end
                    refusal = SshSettings.oneLine(e);
                    gate.serverRefused();
                    if (gate.open() <= 1) { // none of ours to wait for: another client's sessions, or ours closing
                        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) >= queueDeadline) throw gate.refused(refusal);
                        Thread.sleep(backoffMillis);
                        backoffMillis = Math.min(backoffMillis * 2, 500);
                    }
                    continue;
                }
                confirmed = true;
                try (OutputStream in = ch.getInvertedIn()) {
                    if (stdin != null && stdin.length > 0) in.write(stdin);
                } catch (IOException ignored) {
                    // the command exited without reading its input: not our failure
                }
                Set<ClientChannelEvent> events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline))));
                if (events.contains(ClientChannelEvent.TIMEOUT)) {
                    handedOver = stop.stopOnTarget(ch, err.pid());
                    throw new TimeoutException("command did not finish within " + Durations.format(limits.timeout()));
                }
                out.flushLine();
                err.flush();
                errors.flushLine();
                Integer status = ch.getExitStatus();
                if (status == null) {
                    String signal = ch.getExitSignal();
                    if (signal != null) {
                        status = 128 + signalNumber(signal);
                    } else if (!s.isOpen()) {
                        throw new IOException("connection lost while the command ran");
                    } else {
                        status = -1;
                    }
                }
                // wait until our CLOSE went out too: the server counts the session against MaxSessions until then
                ch.close(false).await(Math.max(1, Math.min(2000, TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline)))));
                return new ExecResult(status, out.text(), errors.text(), Duration.ofNanos(System.nanoTime() - now));
            } finally {
                if (!handedOver) {
                    if (ch != null && !ch.isClosed()) ch.close(false); // not immediately: see stopOnTarget
                    if (confirmed) gate.releaseConfirmed();
                    else gate.release();
                }
            }
        }
    }

    private static int signalNumber(String name) {
        return switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "ABRT" -> 6;
            case "KILL" -> 9;
            case "SEGV" -> 11;
            case "PIPE" -> 13;
            case "ALRM" -> 14;
            default -> 15;
        };
    }

    private static long remainingNanos(long deadline) { return Math.max(0, deadline - System.nanoTime()); }
}
