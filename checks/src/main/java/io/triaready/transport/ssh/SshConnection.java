package io.triaready.transport.ssh;

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
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.base.yaml.Durations;
import io.triaready.base.trace.Trace;

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
    /** The channels (lanes and exec channels) open at once, and the commands waiting in line for one. */
    private final ChannelGate gate;
    /** Starts the line each command's shell prints to stderr with its process id (see {@link #withPidLine}). */
    private final String pidTag = "tria-pid-" + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
    /** Whether commands get {@link #withPidLine}; off on a host where the lanes' loop could not start (a ForceCommand). */
    private volatile boolean pidLines = true;
    /** Timed-out commands being stopped on the target; the connection stays open until they are. */
    private final Set<Thread> stopping = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger peakLaneLoad = new AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();
    private final Map<String, InetSocketAddress> forwards = new HashMap<>();
    private volatile ClientSession session;
    private volatile boolean closed;
    /** Set when reconnecting failed: later commands fail at once instead of each waiting for a connect timeout. */
    private volatile String reconnectFailure;
    /**
     * Open {@link ShellLane}s, idle or not, the most recently used first; each holds one of {@link #channels}'
     * permits until it leaves this list. Guarded by itself; waited on for a lane with room.
     */
    private final List<ShellLane> allLanes = new ArrayList<>();
    /** Off when the inventory says {@code exec: channel}, or when a lane's loop could not start on this host. */
    private volatile boolean lanes;
    private final AtomicInteger openLanes = new AtomicInteger();
    /** Lanes this connection may open: max_channels, lowered when the server refused one (its MaxSessions). */
    private volatile int laneCap;
    /** Why the server last refused a lane, for the error when the lanes it allows stay busy. */
    private volatile String laneRefusal;

    private SshConnection(SshSettings settings, SshRuntime runtime, Session runSession) {
        this.settings = settings;
        this.runtime = runtime;
        this.runSession = runSession;
        this.gate = new ChannelGate(settings.maxChannels());
        this.lanes = settings.shellLanes();
        this.laneCap = settings.maxChannels();
    }

    /** The run's connection to {@code settings}' host: opened by the first caller, shared by the rest. */
    static SshConnection of(SshSettings settings, SshRuntime runtime, Session runSession, Duration timeout) throws ProbeException {
        return runSession.shared(settings.connectionKey(), () -> {
            SshConnection c = new SshConnection(settings, runtime, runSession);
            c.session = c.open(timeout);
            c.openLanesAhead();
            Trace.mark("ssh: lanes opening");
            return c;
        });
    }

    SshSettings settings() { return settings; }

    /** The most channels (lanes and exec channels) this connection had open at once (for tests of the cap). */
    int peakChannels() { return gate.peak(); }

    /** The most commands one lane carried at once (for tests of pipelining). */
    int peakLaneLoad() { return peakLaneLoad.get(); }

    /** Commands in {@link #exec} now, running or waiting for a channel (for tests). */
    int commandsInProgress() { return commands.get(); }

    /** The most SSH handshakes the run had in progress at once (for tests of the pacing). */
    int peakHandshakes() { return runtime.peakHandshakes(); }

    // ------------------------------------------------------------------------------------------ connect

    private ClientSession open(Duration callerTimeout) throws ProbeException, InterruptedException {
        Duration budget = min(settings.connectTimeout(), callerTimeout);
        long deadline = System.nanoTime() + budget.toNanos();
        SocketAddress address = address(budget);
        if (!runtime.startHandshake(remainingNanos(deadline))) {
            throw SshRuntime.error(settings, "too many SSH handshakes in progress, none finished within " + Durations.format(budget));
        }
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return handshake(address, deadline, budget);
                } catch (Dropped d) {
                    long pause = DROP_RETRY_PAUSE.toNanos() << (attempt - 1);
                    if (attempt > DROP_RETRIES || remainingNanos(deadline) <= pause) {
                        throw SshRuntime.error(settings, d.getMessage() + (attempt == 1 ? "" : " (" + attempt + " attempts)"));
                    }
                    TimeUnit.NANOSECONDS.sleep(pause);
                }
            }
        } finally {
            runtime.endHandshake();
        }
    }

    /**
     * A connection the server accepted and closed before its banner: what sshd does to a connection beyond
     * MaxStartups (or a tcp wrapper's refusal). Nothing ran yet, so it is safe to try again, after a pause.
     */
    private static final class Dropped extends Exception {
        Dropped(String message) { super(message, null, false, false); }
    }

    /** Attempts after a {@link Dropped} connection, 0.1 s, 0.2 s, 0.4 s, 0.8 s apart (within the connect timeout). */
    static final int DROP_RETRIES = 4;
    private static final Duration DROP_RETRY_PAUSE = Duration.ofMillis(100);

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

    /** The keys to log in with, read on first use (a passphrase may be asked); an error when there are none. */
    private Identities.Loaded identities() throws ProbeException {
        Identities.Loaded ids = runtime.identities(settings);
        if (ids.keys().isEmpty() && settings.agent() == null) {
            String why = ids.skipped().isEmpty()
                    ? "no key to offer (looked for " + String.join(", ", settings.identities().stream()
                            .map(p -> Identities.display(p, runtime.environment.home())).toList()) + "; set identity: or start ssh-agent)"
                    : String.join("; ", ids.skipped());
            throw SshRuntime.error(settings, why);
        }
        return ids;
    }

    private ClientSession handshake(SocketAddress address, long deadline, Duration budget)
            throws ProbeException, Dropped, InterruptedException {
        HostKeyCheck check = new HostKeyCheck(settings.label(), settings.hostName(), settings.port(), settings.knownHosts(),
                settings.acceptNewHostKeys());
        Map<AttributeRepository.AttributeKey<?>, Object> context = new HashMap<>();
        context.put(SshRuntime.HOST_KEY_CHECK, check);
        if (settings.agent() != null) context.put(AgentSupport.SOCKET, settings.agent());
        ClientSession s = null;
        ConnectFuture cf = null;
        try {
            Trace.mark("ssh: connect");
            cf = runtime.client.connect(settings.user(), address, AttributeRepository.ofAttributesMap(context), null);
            // the crypto's first use, while TCP connects and the server's first packets are on their way
            // (on loopback there is no such wait: it would only duplicate the key exchange's own work)
            if (!(address instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress())) {
                CryptoWarmUp.startOnce();
            }
            // A tentative run session (see Session.tentative) connects and exchanges keys, but reads keys (a
            // passphrase prompt) and logs in only once the run is certain.
            if (!runSession.awaitGoAhead(remainingNanos(deadline))) {
                throw SshRuntime.error(settings, runSession.abandoned() ? "not logged in: the run was called off before it started"
                        : "handshake did not finish within " + Durations.format(budget));
            }
            // The keys are read while TCP connects and the keys are exchanged (parsing one costs a cold
            // JVM tens of milliseconds); they are first needed for the login request.
            Identities.Loaded ids = identities();
            if (!cf.await(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
                cf.cancel();
                throw SshRuntime.error(settings, "no TCP connection within " + Durations.format(budget));
            }
            if (cf.getException() != null) {
                if (closedBeforeSessionStarted(cf.getException())) throw droppedBeforeBanner(cf.getException());
                throw SshRuntime.error(settings, connectFailure(cf.getException()));
            }
            s = cf.getSession();
            cf = null; // from here on the session is what to close on failure
            Trace.mark("ssh: tcp connected");
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
            Trace.mark("ssh: login answered");
            if (check.refusal() != null) throw SshRuntime.error(settings, check.refusal());
            if (!af.isSuccess()) {
                if (s.getServerVersion() == null) {
                    if (settings.via() != null) {
                        throw SshRuntime.error(settings, "proxy_jump " + settings.via().label() + " did not open a tunnel to "
                                + settings.hostName() + ":" + settings.port() + " (does it allow TCP forwarding, and reach that address?)");
                    }
                    throw droppedBeforeBanner(af.getException());
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
            if (closedBeforeSessionStarted(e)) throw droppedBeforeBanner(e);
            throw SshRuntime.error(settings, connectFailure(e));
        } finally {
            if (s != null) s.close(true);
            else if (cf != null) abandon(cf);
        }
    }

    /** A connect given up before its session was taken: cancelled, or its session closed once it exists. */
    private static void abandon(ConnectFuture cf) {
        cf.addListener(f -> {
            if (f.isConnected()) f.getSession().close(true);
        });
        cf.cancel();
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

    private static Dropped droppedBeforeBanner(Throwable why) {
        return new Dropped("connection closed before the SSH banner (" + SshSettings.oneLine(why)
                + "): not an SSH server, or one refusing connections (MaxStartups, tcp wrappers)");
    }

    /** MINA's word for a TCP connection closed so soon that no SSH session was attached to it yet. */
    private static boolean closedBeforeSessionStarted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingAttachedSessionException) return true;
        }
        return false;
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

    /** No channel or lane came before the caller's queue deadline: the command did not run. Not a timeout of the command. */
    static final class NoChannel extends IOException {
        NoChannel(String message) { super(message); }
    }

    private ExecResult execute(String command, byte[] stdin, Deadline limits, Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        // in whole milliseconds, rounded up: "within 1s" in messages, not 999ms
        long queueDeadline = start + TimeUnit.MILLISECONDS.toNanos(Math.max(1,
                (Duration.between(java.time.Instant.now(), limits.queueDeadline()).toNanos() + 999_999) / 1_000_000));
        if (lanes && stdin == null && onLine == null) {
            try {
                return execOnLane(command, limits, start, queueDeadline);
            } catch (ShellLane.Unavailable e) {
                lanes = false; // the command did not run: the loop never started
                pidLines = false; // the host rewrites commands (a ForceCommand): send them exactly as written
            }
        }
        return execOnChannel(command, stdin, limits, onLine, start, queueDeadline);
    }

    /**
     * Runs a command on an exec channel of its own. Waiting for a channel (in line at the {@link ChannelGate},
     * and again after the server refused one) is queueing, bounded by the queue deadline and reported
     * through {@code limits}; the command's own time starts when its channel is asked for. A command that
     * times out is stopped on the target, with its process group ({@link #stopOnTarget}).
     */
    private ExecResult execOnChannel(String command, byte[] stdin, Deadline limits, Consumer<String> onLine, long start, long queueDeadline)
            throws IOException, TimeoutException, InterruptedException {
        long waitingSince = start;
        long backoffMillis = 20;
        String refusal = null;
        while (true) {
            ChannelGate.Shortage shortage = gate.acquire(queueDeadline, this::closeIdleLane);
            if (shortage != null) {
                if (refusal != null && shortage.ahead() == 0) throw refused(refusal);
                throw noFreeChannel(Duration.ofNanos(queueDeadline - start), shortage);
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
                ClientSession s = live(own);
                BoundedBuffer out = new BoundedBuffer(onLine);
                BoundedBuffer errors = new BoundedBuffer(onLine);
                PidLine err = new PidLine(pidTag, errors);
                ch = s.createExecChannel(withPidLine(command));
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
                        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) >= queueDeadline) throw refused(refusal);
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
                    handedOver = stopOnTarget(ch, err.pid());
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

    /**
     * The command as sent: a first line that prints the shell's process id to stderr, then the command.
     * sshd starts each channel's shell as a session and process group leader, so that id names the group
     * to stop on a timeout. On a line of its own, so that a syntax error in the command cannot skip it.
     */
    private String withPidLine(String command) {
        if (!pidLines) return command;
        return "printf '%s\\n' \"" + pidTag + ":$$\" >&2\n" + command;
    }

    /**
     * Takes the process id line off the front of stderr ({@link #withPidLine}); passes everything else
     * through. If the first line is not one (a shell that did not run it), it is passed through too.
     */
    private static final class PidLine extends OutputStream {
        private final byte[] tag;
        private final OutputStream next;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private boolean done;
        private volatile long pid;

        PidLine(String tag, OutputStream next) {
            this.tag = (tag + ":").getBytes(StandardCharsets.US_ASCII);
            this.next = next;
        }

        long pid() { return pid; }

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                next.write(b, off, len);
                return;
            }
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                int at = head.size();
                if (c == '\n' && at > tag.length) {
                    try {
                        pid = Long.parseLong(head.toString(StandardCharsets.US_ASCII).substring(tag.length));
                    } catch (NumberFormatException e) {
                        head.write(c);
                        giveUp();
                        next.write(b, i + 1, off + len - i - 1);
                        return;
                    }
                    done = true;
                    head.reset();
                    next.write(b, i + 1, off + len - i - 1);
                    return;
                }
                boolean fits = at < tag.length ? c == tag[at] : c >= '0' && c <= '9' && at < tag.length + 20;
                head.write(c);
                if (!fits) {
                    giveUp();
                    next.write(b, i + 1, off + len - i - 1);
                    return;
                }
            }
        }

        /** Not a process id line: what was held back is the command's own output. */
        private void giveUp() throws IOException {
            done = true;
            next.write(head.toByteArray());
            head.reset();
        }

        @Override
        public synchronized void flush() throws IOException {
            if (!done && head.size() > 0) giveUp();
        }
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
    private boolean stopOnTarget(ChannelExec ch, long pid) {
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
    private void stopLaneCommand(long pid) {
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
            if (runOn(live(Duration.ofSeconds(5)), script, deadline)) return;
            ClientSession extra = open(Duration.ofNanos(Math.max(1, remainingNanos(deadline))));
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

    /**
     * Commands one lane may carry at once when the run only reads. With max_channels 8 that is 32, the
     * default --concurrency: a suite of 24 checks on one host all go out at once. Deeper queues
     * would gain nothing at such concurrency and put more commands behind a slow one (a lane runs its
     * commands one after another), and more to retry after a hung one.
     */
    static final int LANE_DEPTH = 4;

    /**
     * Runs a command on a lane: an idle one (the most recently used first), else a new one while the
     * channel cap allows, else, in a run that only reads, queued behind the commands of the least busy
     * lane (up to {@link #LANE_DEPTH}), else it waits for one of these. Queuing sends all of a host's
     * commands at once instead of in waves of max_channels, a round trip each. It is for reading runs
     * only: a command queued behind one that timed out is run again on another lane, and may have
     * started already if the one before it finished just then (see {@link ShellLane}); a fix's steps and
     * its host lock must never run twice, nor wait behind each other on one lane.
     * A server at its MaxSessions refuses a new lane: the command did not run, so it waits for one of
     * the open lanes (and no more are opened), or, with none open, retries with backoff like
     * {@link #openChannel}.
     */
    private ExecResult execOnLane(String command, Deadline limits, long start, long queueDeadline)
            throws IOException, TimeoutException, InterruptedException {
        long backoffMillis = 20;
        while (true) {
            ShellLane lane = claimLane(start, queueDeadline);
            try {
                return lane.run(command, limits, queueDeadline, start);
            } catch (ShellLane.Retry e) {
                // the lane was closed before the command's turn: it did not start, another lane runs it
                if (!lanes) throw new ShellLane.Unavailable("the command loop did not start on this host");
                if (remainingNanos(queueDeadline) == 0) {
                    throw new NoChannel("no free SSH lane within " + Durations.format(Duration.ofNanos(queueDeadline - start))
                            + ": the lane it was queued on was closed");
                }
            } catch (ShellLane.Refused e) {
                if (retire(lane)) {
                    laneRefusal = e.getMessage();
                    laneCap = Math.max(1, openLanes.get()); // the server's MaxSessions (less what others use) is below max_channels
                }
                if (openLanes.get() == 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(remainingNanos(queueDeadline));
                    if (left <= backoffMillis) throw refused(laneRefusal);
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, 500);
                }
            } finally {
                giveBack(lane);
            }
        }
    }

    /** A lane with a place taken for one command ({@link ShellLane#tryClaim}), as {@link #execOnLane} says. */
    private ShellLane claimLane(long start, long deadline) throws IOException, TimeoutException, InterruptedException {
        while (true) {
            synchronized (allLanes) {
                while (true) {
                    retireDeadLanes();
                    for (ShellLane lane : allLanes) {
                        if (lane.tryClaim(1)) return noteLoad(lane); // idle
                    }
                    if (openLanes.get() < laneCap && reserveLane()) break; // open one, below
                    ShellLane least = runSession.readOnly() ? leastBusy() : null;
                    if (least != null && least.tryClaim(LANE_DEPTH)) return noteLoad(least);
                    long left = remainingNanos(deadline);
                    if (left <= 0) {
                        if (laneRefusal != null && openLanes.get() == 0) throw refused(laneRefusal);
                        int ahead = 0;
                        for (ShellLane l : allLanes) ahead += l.load();
                        throw noFreeChannel(Duration.ofNanos(deadline - start), new ChannelGate.Shortage(gate.cap(), laneRefusal != null, ahead));
                    }
                    // woken when a command leaves a lane; a permit freed by an exec channel is seen within 50 ms
                    allLanes.wait(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
                }
            }
            ShellLane lane;
            try {
                lane = ShellLane.start(live(Duration.ofNanos(remainingNanos(deadline))), this::stopLaneCommand);
            } catch (IOException | InterruptedException | RuntimeException e) {
                unreserveLane();
                throw e;
            }
            synchronized (allLanes) {
                allLanes.add(0, lane);
                if (lane.tryClaim(1)) return noteLoad(lane);
            }
            // closed as soon as it opened: the next round retires it
        }
    }

    private ShellLane noteLoad(ShellLane lane) {
        peakLaneLoad.accumulateAndGet(lane.load(), Math::max);
        return lane;
    }

    /** The usable lane carrying the fewest commands (under the lanes' lock). */
    private ShellLane leastBusy() {
        ShellLane least = null;
        int min = Integer.MAX_VALUE;
        for (ShellLane lane : allLanes) {
            int load = lane.load();
            if (lane.usable() && load < min) {
                least = lane;
                min = load;
            }
        }
        return least;
    }

    /** After a command left {@code lane}: an idle lane moves to the front, a closed one with no command left goes. */
    private void giveBack(ShellLane lane) {
        synchronized (allLanes) {
            if (lane.load() == 0 && allLanes.remove(lane)) {
                if (lane.usable() && !closed) {
                    allLanes.add(0, lane); // the most recently used first: the others may time out unused
                } else {
                    release(lane);
                }
            }
            allLanes.notifyAll();
        }
    }

    /** Retires the lanes that closed and carry no command (under the lanes' lock). */
    private void retireDeadLanes() {
        for (java.util.Iterator<ShellLane> it = allLanes.iterator(); it.hasNext(); ) {
            ShellLane lane = it.next();
            if (!lane.usable() && lane.load() == 0) {
                it.remove();
                release(lane);
            }
        }
    }

    /** "no free SSH channel on HOST within 30s: the server allows 2 sessions at once (MaxSessions) and 57 commands were ahead". */
    private NoChannel noFreeChannel(Duration waited, ChannelGate.Shortage s) {
        return new NoChannel("no free SSH channel on " + settings.label() + " within " + Durations.format(waited) + ": "
                + (s.lowered() ? "the server allows " + s.cap() + (s.cap() == 1 ? " session" : " sessions") + " at once (MaxSessions)"
                               : "max_channels " + s.cap() + (s.cap() == 1 ? " was" : " were") + " busy")
                + " and " + s.ahead() + (s.ahead() == 1 ? " command was" : " commands were") + " ahead");
    }

    private IOException refused(String why) {
        return new IOException("the server refused a new channel (" + why + ") until the timeout: "
                + "lower max_channels (now " + settings.maxChannels() + ") or raise MaxSessions");
    }

    /** Takes a channel permit for a new lane and counts the lane as open; false when no permit is free. */
    private boolean reserveLane() {
        if (!gate.tryAcquire()) return false;
        openLanes.incrementAndGet();
        return true;
    }

    /** Undoes {@link #reserveLane}: the lane did not open, or is closed for good. */
    private void unreserveLane() {
        openLanes.decrementAndGet();
        gate.release();
    }

    /** Closes a lane for good and returns its channel permit; false if it was already retired. */
    private boolean retire(ShellLane lane) {
        synchronized (allLanes) {
            if (!allLanes.remove(lane)) return false;
        }
        release(lane);
        return true;
    }

    /** Closes a lane already taken out of {@link #allLanes} and returns its channel permit. */
    private void release(ShellLane lane) {
        lane.close();
        unreserveLane();
    }

    /**
     * Right after login, starts as many lanes as the run expects commands on this host at once (at
     * most max_channels) without waiting: they open while the playbook loads, so the first commands
     * find them ready. A fleet spreads its concurrency over many hosts and gets one lane each.
     */
    private void openLanesAhead() {
        if (!lanes) return;
        // the opens leave in one segment, so sshd confirms them in one (QuickAckIo.batch)
        QuickAckIo.batch(session, () -> {
            for (int i = 0; i < Math.min(settings.maxChannels(), runSession.observationsPerHost()); i++) {
                if (!reserveLane()) return;
                try {
                    ShellLane lane = ShellLane.start(session, this::stopLaneCommand);
                    synchronized (allLanes) {
                        allLanes.add(lane);
                        allLanes.notifyAll();
                    }
                } catch (IOException | RuntimeException e) {
                    unreserveLane();
                    return; // the checks will open lanes (or report why they cannot)
                }
            }
        });
    }

    /** Closes the least recently used idle lane, freeing its channel; false when none was idle. */
    private boolean closeIdleLane() {
        ShellLane idle = null;
        synchronized (allLanes) {
            for (int i = allLanes.size() - 1; i >= 0 && idle == null; i--) {
                if (allLanes.get(i).load() == 0) idle = allLanes.remove(i);
            }
        }
        if (idle == null) return false;
        release(idle);
        return true;
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
        // timed-out commands still being stopped on the target: the run is not over for them
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        for (Thread t : List.copyOf(stopping)) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos(until))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        while (closeIdleLane()) {
            // each lane's channel closes with the session anyway; this returns their permits
        }
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
