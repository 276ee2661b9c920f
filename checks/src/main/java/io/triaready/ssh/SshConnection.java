package io.triaready.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.sshd.client.auth.pubkey.PublicKeyAuthenticationReporter;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import io.triaready.check.ProbeException;
import io.triaready.check.Session;
import io.triaready.host.ExecResult;
import io.triaready.playbook.Durations;

/**
 * One authenticated SSH connection, shared by every check on its host for the whole run: commands
 * run as exec channels on it (at most {@code max_channels} at once, below sshd's MaxSessions), tunnels
 * are local port forwards through it. If the server drops it mid-run, the next command reconnects once.
 */
final class SshConnection implements AutoCloseable {
    /** Output kept per stream; the rest is dropped so a chatty command cannot exhaust memory. */
    static final int MAX_OUTPUT = 1024 * 1024;

    private final SshSettings settings;
    private final SshRuntime runtime;
    private final Session runSession;
    private final Semaphore channels;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Map<String, InetSocketAddress> forwards = new HashMap<>();
    private volatile ClientSession session;
    private volatile boolean closed;
    /** Set when reconnecting failed: later commands fail at once instead of each waiting for a connect timeout. */
    private volatile String reconnectFailure;

    private SshConnection(SshSettings settings, SshRuntime runtime, Session runSession) {
        this.settings = settings;
        this.runtime = runtime;
        this.runSession = runSession;
        this.channels = new Semaphore(settings.maxChannels(), true);
    }

    /** The run's connection to {@code settings}' host: opened by the first caller, shared by the rest. */
    static SshConnection of(SshSettings settings, SshRuntime runtime, Session runSession, Duration timeout) throws ProbeException {
        return runSession.shared(settings.connectionKey(), () -> {
            SshConnection c = new SshConnection(settings, runtime, runSession);
            c.session = c.open(timeout);
            return c;
        });
    }

    SshSettings settings() { return settings; }

    /** The most channels this connection had open at once (for tests of the cap). */
    int peakChannels() { return peak.get(); }

    // ------------------------------------------------------------------------------------------ connect

    private ClientSession open(Duration callerTimeout) throws ProbeException, InterruptedException {
        Duration budget = min(settings.connectTimeout(), callerTimeout);
        long deadline = System.nanoTime() + budget.toNanos();
        Identities.Loaded ids = Identities.load(settings, runtime.environment.home(), runtime::prompt);
        if (ids.keys().isEmpty() && settings.agent() == null) {
            String why = ids.skipped().isEmpty()
                    ? "no key to offer (looked for " + String.join(", ", settings.identities().stream()
                            .map(p -> Identities.display(p, runtime.environment.home())).toList()) + "; set identity: or start ssh-agent)"
                    : String.join("; ", ids.skipped());
            throw SshRuntime.error(settings, why);
        }
        SocketAddress address = address(budget);
        if (!runtime.handshakes.tryAcquire(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
            throw SshRuntime.error(settings, "too many SSH handshakes in progress, none finished within " + Durations.format(budget));
        }
        try {
            return handshake(address, ids, deadline, budget);
        } finally {
            runtime.handshakes.release();
        }
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

    private ClientSession handshake(SocketAddress address, Identities.Loaded ids, long deadline, Duration budget) throws ProbeException {
        HostKeyCheck check = new HostKeyCheck(settings.label(), settings.hostName(), settings.port(), settings.knownHosts(),
                settings.acceptNewHostKeys());
        Map<AttributeRepository.AttributeKey<?>, Object> context = new HashMap<>();
        context.put(SshRuntime.HOST_KEY_CHECK, check);
        if (settings.agent() != null) context.put(AgentSupport.SOCKET, settings.agent());
        ClientSession s = null;
        try {
            ConnectFuture cf = runtime.client.connect(settings.user(), address, AttributeRepository.ofAttributesMap(context), null);
            if (!cf.await(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
                cf.cancel();
                throw SshRuntime.error(settings, "no TCP connection within " + Durations.format(budget));
            }
            if (cf.getException() != null) throw SshRuntime.error(settings, connectFailure(cf.getException()));
            s = cf.getSession();
            for (KeyPair k : ids.keys()) s.addPublicKeyIdentity(k);
            AuthAttempts attempts = new AuthAttempts();
            s.setPublicKeyAuthenticationReporter(attempts);
            AuthFuture af = s.auth();
            if (!af.await(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
                String stage = s.getServerVersion() == null ? "no SSH banner within " + Durations.format(budget)
                        + (settings.via() == null ? "" : " (through proxy_jump " + settings.via().label() + ")")
                        : check.refusal() != null ? check.refusal()
                        : "handshake did not finish within " + Durations.format(budget) + " (server " + s.getServerVersion() + ")";
                throw SshRuntime.error(settings, stage);
            }
            if (check.refusal() != null) throw SshRuntime.error(settings, check.refusal());
            if (!af.isSuccess()) {
                if (s.getServerVersion() == null) {
                    if (settings.via() != null) {
                        throw SshRuntime.error(settings, "proxy_jump " + settings.via().label() + " did not open a tunnel to "
                                + settings.hostName() + ":" + settings.port() + " (does it allow TCP forwarding, and reach that address?)");
                    }
                    throw SshRuntime.error(settings, "connection closed before the SSH banner (" + SshSettings.oneLine(af.getException())
                            + "): not an SSH server, or one refusing connections (MaxStartups, tcp wrappers)");
                }
                if (!s.isOpen() && attempts.tried.get() == 0 && !attempts.exhausted) {
                    throw SshRuntime.error(settings, "connection closed during the handshake (" + SshSettings.oneLine(af.getException()) + ")");
                }
                throw SshRuntime.error(settings, authFailure(ids, attempts));
            }
            Keepalive.start(s, settings.keepalive(), runtime.scheduler);
            ClientSession ok = s;
            s = null;
            return ok;
        } catch (IOException e) {
            throw SshRuntime.error(settings, connectFailure(e));
        } finally {
            if (s != null) s.close(true);
        }
    }

    private String authFailure(Identities.Loaded ids, AuthAttempts attempts) {
        List<String> tried = new ArrayList<>(ids.labels());
        if (settings.agent() != null) {
            int n = AgentSupport.countIdentities(settings.agent());
            tried.add(n < 0 ? "agent (unreachable at " + settings.agent() + ")" : "agent (" + n + (n == 1 ? " key)" : " keys)"));
        }
        StringBuilder m = new StringBuilder("authentication failed (tried publickey with ")
                .append(tried.isEmpty() ? "no keys" : String.join(", ", tried)).append(')');
        if (attempts.serverMethods != null && !attempts.serverMethods.contains("publickey")) {
            m.append("; the server accepts only ").append(String.join(", ", attempts.serverMethods));
        }
        for (String skip : ids.skipped()) m.append("; ").append(skip);
        return m.toString();
    }

    private String connectFailure(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof ConnectException) && !(t instanceof UnknownHostException)
                && !(t instanceof UnresolvedAddressException) && !(t instanceof NoRouteToHostException)) {
            t = t.getCause();
        }
        if (t instanceof ConnectException) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("refused")) return "connection refused";
            if (m.contains("timed out")) return "connection timed out";
            return "cannot connect (" + SshSettings.oneLine(t) + ")";
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) return "unknown host " + settings.hostName();
        if (t instanceof NoRouteToHostException) return "no route to host";
        return "cannot connect (" + SshSettings.oneLine(e) + ")";
    }

    /** Records what publickey authentication tried, and which methods the server would accept instead. */
    private static final class AuthAttempts implements PublicKeyAuthenticationReporter {
        final AtomicInteger tried = new AtomicInteger();
        volatile List<String> serverMethods;
        volatile boolean exhausted;

        @Override
        public void signalAuthenticationAttempt(ClientSession session, String service, KeyPair identity, String signature) {
            tried.incrementAndGet();
        }

        @Override
        public void signalAuthenticationFailure(ClientSession session, String service, KeyPair identity, boolean partial,
                                                List<String> serverMethods) {
            this.serverMethods = serverMethods;
        }

        @Override
        public void signalAuthenticationExhausted(ClientSession session, String service) { exhausted = true; }
    }

    // --------------------------------------------------------------------------------------------- exec

    /** The live session, reconnecting once if the server dropped it since the last command. */
    private ClientSession live(Duration timeout) throws IOException, InterruptedException {
        ClientSession s = session;
        if (s != null && s.isOpen() && !s.isClosing()) return s;
        synchronized (this) {
            if (closed) throw new IOException("ssh " + settings.label() + ": the run is over");
            s = session;
            if (s != null && s.isOpen() && !s.isClosing()) return s;
            if (reconnectFailure != null) throw new IOException(reconnectFailure);
            synchronized (forwards) {
                forwards.clear(); // they died with the old session
            }
            try {
                session = open(timeout);
            } catch (ProbeException e) {
                reconnectFailure = "connection lost, and reconnecting failed: " + stripPrefix(e.getMessage(), settings);
                throw new IOException(reconnectFailure, e);
            }
            return session;
        }
    }

    ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return exec(command, stdin, timeout, null);
    }

    /** Runs a command; each output line also goes to {@code onLine} (if not null) as it arrives. */
    ExecResult exec(String command, byte[] stdin, Duration timeout, Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Math.max(1, timeout.toNanos());
        if (!channels.tryAcquire(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("no free SSH channel on " + settings.label() + " within " + Durations.format(timeout)
                    + " (max_channels " + settings.maxChannels() + ")");
        }
        ChannelExec ch = null;
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            ClientSession s = live(Duration.ofNanos(remainingNanos(deadline)));
            BoundedBuffer out = new BoundedBuffer(onLine);
            BoundedBuffer err = new BoundedBuffer(onLine);
            ch = openChannel(s, command, out, err, deadline, timeout);
            try (OutputStream in = ch.getInvertedIn()) {
                if (stdin != null && stdin.length > 0) in.write(stdin);
            } catch (IOException ignored) {
                // the command exited without reading its input: not our failure
            }
            Set<ClientChannelEvent> events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline))));
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new TimeoutException("command did not finish within " + Durations.format(timeout));
            }
            out.flushLine();
            err.flushLine();
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
            return new ExecResult(status, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            if (ch != null && !ch.isClosed()) ch.close(true);
            inFlight.decrementAndGet();
            channels.release();
        }
    }

    /**
     * Opens an exec channel. A server at its MaxSessions refuses the channel; as sessions end within
     * moments (another user's, or ours still closing), that is retried with backoff until the deadline.
     */
    private ChannelExec openChannel(ClientSession s, String command, OutputStream out, OutputStream err, long deadline, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        long backoffMillis = 20;
        while (true) {
            ChannelExec ch = s.createExecChannel(command);
            ch.setOut(out);
            ch.setErr(err);
            OpenFuture of = ch.open();
            if (!of.await(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
                ch.close(true);
                throw new TimeoutException("command did not start within " + Durations.format(timeout));
            }
            if (of.isOpened()) return ch;
            Throwable e = of.getException();
            ch.close(true);
            if (!(e instanceof SshChannelOpenException)) {
                throw new IOException("cannot open a channel: " + (e == null ? "connection closed" : SshSettings.oneLine(e)), e);
            }
            long left = TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline));
            if (left <= backoffMillis) {
                throw new IOException("the server refused a new channel (" + SshSettings.oneLine(e) + ") until the timeout: "
                        + "lower max_channels (now " + settings.maxChannels() + ") or raise MaxSessions", e);
            }
            Thread.sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 500);
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

    /** Keeps the first {@link #MAX_OUTPUT} bytes, drops the rest; hands complete lines to a listener if there is one. */
    private static final class BoundedBuffer extends OutputStream {
        private static final int MAX_LINE = 16 * 1024;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final Consumer<String> onLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        BoundedBuffer(Consumer<String> onLine) { this.onLine = onLine; }

        @Override
        public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int n = Math.min(len, MAX_OUTPUT - buf.size());
            if (n > 0) buf.write(b, off, n);
            if (onLine == null) return;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    onLine.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (line.size() < MAX_LINE) {
                    line.write(b[i]);
                }
            }
        }

        synchronized void flushLine() {
            if (onLine != null && line.size() > 0) onLine.accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }

        synchronized String text() { return buf.toString(StandardCharsets.UTF_8); }
    }

    // ------------------------------------------------------------------------------------------ tunnels

    /**
     * A local address ({@code 127.0.0.1:port}) forwarded to {@code host:port} as seen from this
     * connection's server. Opened once per (host, port) for the run; closed with the connection.
     */
    InetSocketAddress forward(String host, int port, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        String key = host + ":" + port;
        synchronized (forwards) {
            InetSocketAddress existing = forwards.get(key);
            if (existing != null && session != null && session.isOpen()) return existing;
        }
        ClientSession s = live(timeout);
        synchronized (forwards) {
            InetSocketAddress existing = forwards.get(key);
            if (existing != null) return existing;
            SshdSocketAddress bound;
            try {
                bound = s.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot forward a local port to " + key + " through " + settings.label() + ": " + SshSettings.oneLine(e), e);
            }
            InetSocketAddress local = new InetSocketAddress("127.0.0.1", bound.getPort());
            forwards.put(key, local);
            return local;
        }
    }

    @Override
    public void close() {
        closed = true;
        ClientSession s = session;
        if (s == null) return;
        try {
            s.close(false).await(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            s.close(true);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static long remainingNanos(long deadline) { return Math.max(0, deadline - System.nanoTime()); }

    private static Duration min(Duration a, Duration b) {
        if (b == null || b.isNegative() || b.isZero()) return a;
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** "ssh u@h:p: why" as "why", to nest one host's error in another's without repeating the prefix. */
    static String stripPrefix(String message, SshSettings s) {
        String prefix = "ssh " + s.label() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
