package io.triaready.transport.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.triaready.base.trace.Trace;
import io.triaready.spi.ProbeException;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * Stops commands that timed out on the target: closing a channel does not signal the remote process,
 * so its process group gets TERM, then KILL, from a script on a channel (or a connection) of its own,
 * on a thread of its own. The connection stays open until these are done ({@link #awaitAll}).
 */
final class RemoteStop {
    private final LiveSession live;
    private final SshLogin login;
    private final ChannelGate gate;
    /** Timed-out commands being stopped on the target. */
    private final Set<Thread> stopping = ConcurrentHashMap.newKeySet();

    RemoteStop(LiveSession live, SshLogin login, ChannelGate gate) {
        this.live = live;
        this.login = login;
        this.gate = gate;
    }

    /** Stops a process group on the target: TERM, then KILL if it is still there a second later. */
    static String stopScript(long pgid) {
        return "kill -TERM -" + pgid + " 2>/dev/null || kill -TERM " + pgid + " 2>/dev/null || exit 0; i=0; "
                + "while [ $i -lt 10 ] && { kill -0 -" + pgid + " 2>/dev/null || kill -0 " + pgid + " 2>/dev/null; }; do sleep 0.1; i=$((i+1)); done; "
                + "kill -KILL -" + pgid + " 2>/dev/null; kill -KILL " + pgid + " 2>/dev/null; exit 0";
    }

    /**
     * A command on an exec channel of its own timed out: closes its channel (which does not signal the
     * remote process) and stops its process group, on a thread of its own. sshd keeps counting the
     * channel's session against MaxSessions until the process ends, so that thread keeps the command's
     * slot at the {@link ChannelGate} until the stop is done. False when the process id is unknown (the
     * shell never printed it) and nothing can be stopped.
     */
    boolean stopOnTarget(ChannelExec ch, long pid) {
        if (pid <= 0) return false;
        // politely: our CLOSE goes out, and sshd frees the session once the process ended (closing only
        // our end would leave it counted against MaxSessions for the rest of the connection)
        ch.close(false);
        startStopping(() -> {
            try {
                runStop(pid);
            } finally {
                gate.releaseConfirmed();
            }
        });
        return true;
    }

    /** A command on a lane timed out (its lane is closed) or started after its caller left: stops its process group. */
    void stopLaneCommand(long pid) {
        startStopping(() -> runStop(pid));
    }

    private void startStopping(Runnable work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } finally {
                stopping.remove(Thread.currentThread());
            }
        }, "tria-ssh-stop");
        t.setDaemon(true);
        stopping.add(t);
        t.start();
    }

    /**
     * Runs {@link #stopScript} on a channel of its own, within about 5 s. The server may refuse that
     * channel (the hung command's session still counts against its MaxSessions, on a busy connection):
     * then on a short connection of its own.
     */
    private void runStop(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String script = stopScript(pid);
        try {
            if (runOn(live.get(Duration.ofSeconds(5)), script, deadline)) return;
            ClientSession extra = login.open(Duration.ofNanos(Math.max(1, remainingNanos(deadline))));
            try {
                runOn(extra, script, deadline);
            } finally {
                extra.close(true);
            }
        } catch (IOException | ProbeException | RuntimeException e) {
            Trace.mark("ssh: could not stop a timed-out command: " + SshSettings.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code script} on a new channel of {@code s} until it ends or the deadline; false if the server refused the channel. */
    private static boolean runOn(ClientSession s, String script, long deadline) throws IOException {
        ChannelExec ch = s.createExecChannel(script);
        try {
            OpenFuture of = ch.open();
            if (!of.await(remainingNanos(deadline), TimeUnit.NANOSECONDS)) return true;
            if (!of.isOpened()) return !(of.getException() instanceof SshChannelOpenException);
            ch.getInvertedIn().close();
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline))));
            return true;
        } finally {
            ch.close(false);
        }
    }

    /** Waits (until {@code until}, a {@link System#nanoTime}) for the stops in progress: the run is not over for them. */
    void awaitAll(long until) {
        for (Thread t : List.copyOf(stopping)) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos(until))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private static long remainingNanos(long deadline) { return Math.max(0, deadline - System.nanoTime()); }
}
