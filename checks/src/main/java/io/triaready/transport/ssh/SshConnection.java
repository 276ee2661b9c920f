package io.triaready.transport.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.triaready.base.trace.Trace;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.transport.ssh.mina.QuickAckIo;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;

/**
 * One authenticated SSH connection, shared by every check on its host for the whole run. It puts the
 * parts together: {@link SshLogin} (connect and log in, again once if the server dropped it),
 * {@link ChannelGate} (at most {@code max_channels} channels at once, below sshd's MaxSessions),
 * {@link ExecChannels} (a command on a channel of its own) or {@link LanePool} (commands on shell
 * lanes, {@code exec: shell}), {@link RemoteStop} (stopping timed-out commands on the target) and
 * {@link Tunnels} (local port forwards through it).
 */
final class SshConnection implements AutoCloseable {
    private final SshSettings settings;
    private final SshRuntime runtime;
    private final Session runSession;
    private final boolean speedTricks;
    private final ChannelGate gate;
    private final SshLogin login;
    private final RemoteStop stop;
    private final LanePool lanes;
    private final ExecChannels channels;
    private final Tunnels tunnels;
    private final AtomicInteger commands = new AtomicInteger();
    private volatile ClientSession session;
    private volatile boolean closed;
    /** Set when reconnecting failed: later commands fail at once instead of each waiting for a connect timeout. */
    private volatile String reconnectFailure;

    private SshConnection(SshSettings settings, SshRuntime runtime, Session runSession) {
        this.settings = settings;
        this.runtime = runtime;
        this.runSession = runSession;
        this.speedTricks = runSession.speedTricks().on();
        this.gate = new ChannelGate(settings.maxChannels());
        this.login = new SshLogin(settings, runtime, runSession, this::address, speedTricks);
        this.stop = new RemoteStop(this::live, login, gate);
        // without the speed tricks, exec: shell falls back to a channel per command (docs/decisions.md)
        this.lanes = new LanePool(settings, runSession, gate, this::live, stop, settings.shellLanes() && speedTricks,
                speedTricks, runtime.speedTricks);
        this.channels = new ExecChannels(settings, gate, this::live, stop, lanes::closeIdleLane);
        this.tunnels = new Tunnels(settings.label(), this::live, () -> session);
    }

    /** The run's connection to {@code settings}' host: opened by the first caller, shared by the rest. */
    static SshConnection of(SshSettings settings, SshRuntime runtime, Session runSession, Duration timeout) throws ProbeException {
        return runSession.shared(settings.connectionKey(), () -> {
            SshConnection c = new SshConnection(settings, runtime, runSession);
            c.session = c.login.open(timeout);
            c.lanes.openAhead(c.session);
            Trace.mark("ssh: lanes opening");
            return c;
        });
    }

    SshSettings settings() { return settings; }

    /** The most channels (lanes and exec channels) this connection had open at once (for tests of the cap). */
    int peakChannels() { return gate.peak(); }

    /** The most commands one lane carried at once (for tests of pipelining). */
    int peakLaneLoad() { return lanes.peakLoad(); }

    /** Commands in {@link #exec} now, running or waiting for a channel (for tests). */
    int commandsInProgress() { return commands.get(); }

    /** The most SSH handshakes the run had in progress at once (for tests of the pacing). */
    int peakHandshakes() { return runtime.peakHandshakes(); }

    /** The speed tricks this connection uses now ({@link SpeedTrick}); none with {@link io.triaready.spi.SpeedTricks#OFF}. */
    Set<SpeedTrick> speedTricks() {
        Set<SpeedTrick> on = EnumSet.noneOf(SpeedTrick.class);
        if (login.preconnected()) on.add(SpeedTrick.PRECONNECT);
        if (runtime.speedTricks) on.add(SpeedTrick.QUICK_AUTH);
        ClientSession s = session;
        if (s != null && QuickAckIo.installedOn(s)) on.add(SpeedTrick.QUICK_ACK_IO);
        if (speedTricks) on.add(SpeedTrick.CRYPTO_WARM_UP);
        if (lanes.enabled()) {
            on.add(SpeedTrick.LANES);
            on.add(SpeedTrick.LANES_AHEAD);
            if (lanes.pipelines() && runSession.readOnly()) on.add(SpeedTrick.PIPELINING);
        }
        return on;
    }

    /** Where to open the TCP connection: the host itself, or a local tunnel through the jump host. */
    private SocketAddress address(Duration budget) throws ProbeException {
        if (settings.via() == null) return new InetSocketAddress(settings.hostName(), settings.port());
        SshConnection jump;
        try {
            jump = SshConnection.of(settings.via(), runtime, runSession, budget);
        } catch (ProbeException e) {
            throw SshRuntime.error(settings, "via proxy_jump " + settings.via().label() + ": " + stripPrefix(e.getMessage(), settings.via()));
        }
        try {
            return jump.forward(settings.hostName(), settings.port(), budget);
        } catch (IOException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw SshRuntime.error(settings, "cannot tunnel through proxy_jump " + settings.via().label() + ": " + SshSettings.oneLine(e));
        }
    }

    /** The live session, reconnecting once if the server dropped it since the last command. */
    private ClientSession live(Duration timeout) throws IOException, InterruptedException {
        ClientSession s = session;
        if (s != null && s.isOpen() && !s.isClosing()) return s;
        synchronized (this) {
            if (closed) throw new IOException("ssh " + settings.label() + ": the run is over");
            s = session;
            if (s != null && s.isOpen() && !s.isClosing()) return s;
            if (reconnectFailure != null) throw new IOException(reconnectFailure);
            tunnels.forget(); // they died with the old session
            try {
                session = login.open(timeout);
            } catch (ProbeException e) {
                reconnectFailure = "connection lost, and reconnecting failed: " + stripPrefix(e.getMessage(), settings);
                throw new IOException(reconnectFailure, e);
            }
            return session;
        }
    }

    // --------------------------------------------------------------------------------------------- exec

    ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return exec(command, stdin, Deadline.of(timeout), null);
    }

    ExecResult exec(String command, byte[] stdin, Duration timeout, Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        return exec(command, stdin, Deadline.of(timeout), onLine);
    }

    /**
     * Runs a command; each output line also goes to {@code onLine} (if not null) as it arrives. A command
     * without input whose output is not streamed runs on a {@link ShellLane}; the others (sudo with a
     * password, a fix's live output) get an exec channel of their own.
     */
    ExecResult exec(String command, byte[] stdin, Deadline limits, Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        commands.incrementAndGet();
        try {
            return execute(command, stdin, limits, onLine);
        } finally {
            commands.decrementAndGet();
        }
    }

    private ExecResult execute(String command, byte[] stdin, Deadline limits, Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        // in whole milliseconds, rounded up: "within 1s" in messages, not 999ms
        long queueDeadline = start + TimeUnit.MILLISECONDS.toNanos(Math.max(1,
                (Duration.between(java.time.Instant.now(), limits.queueDeadline()).toNanos() + 999_999) / 1_000_000));
        if (lanes.enabled() && stdin == null && onLine == null) {
            try {
                return lanes.run(command, limits, start, queueDeadline);
            } catch (ShellLane.Unavailable e) {
                lanes.disable(); // the command did not run: the loop never started
                channels.sendCommandsAsWritten(); // the host rewrites commands (a ForceCommand)
            }
        }
        return channels.run(command, stdin, limits, onLine, start, queueDeadline);
    }

    // ------------------------------------------------------------------------------------------ tunnels

    /**
     * A local address ({@code 127.0.0.1:port}) forwarded to {@code host:port} as seen from this
     * connection's server. Opened once per (host, port) for the run; closed with the connection.
     */
    InetSocketAddress forward(String host, int port, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return tunnels.forward(host, port, timeout);
    }

    @Override
    public void close() {
        closed = true;
        lanes.markClosed();
        // timed-out commands still being stopped on the target: the run is not over for them
        stop.awaitAll(System.nanoTime() + TimeUnit.SECONDS.toNanos(6));
        lanes.closeIdle();
        ClientSession s = session;
        if (s == null) return;
        // A DISCONNECT, then our end closes: sshd ends the lanes' loops with the connection. A graceful
        // close would wait for sshd to acknowledge every channel's close: a round trip at the end of each run.
        try {
            s.disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION, "run over");
            s.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), 2000);
        } catch (IOException | RuntimeException e) {
            s.close(true);
        }
    }

    /** "ssh u@h:p: why" as "why", to nest one host's error in another's without repeating the prefix. */
    static String stripPrefix(String message, SshSettings s) {
        String prefix = "ssh " + s.label() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
