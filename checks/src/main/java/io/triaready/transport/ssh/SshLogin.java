package io.triaready.transport.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.triaready.base.trace.Trace;
import io.triaready.base.yaml.Durations;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.transport.ssh.mina.ClosedBeforeBanner;
import org.apache.sshd.client.auth.pubkey.PublicKeyAuthenticationReporter;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

/**
 * Connection and login: one TCP connection to a host (or through its jump host's tunnel), its key
 * exchange and host key check, and public-key login, paced by the run's handshake slots and retried
 * when the server drops it before its banner (MaxStartups). Each failure becomes one plain sentence.
 */
final class SshLogin {
    /** Where to open the TCP connection (the host itself, or a local tunnel through the jump host). */
    @FunctionalInterface
    interface Route {
        SocketAddress address(Duration budget) throws ProbeException;
    }

    private final SshSettings settings;
    private final SshRuntime runtime;
    private final Session runSession;
    private final Route route;
    private final boolean cryptoWarmUp;
    /** Whether a connection went out before the run's go-ahead (a tentative session: {@link SpeedTrick#PRECONNECT}). */
    private volatile boolean preconnected;

    SshLogin(SshSettings settings, SshRuntime runtime, Session runSession, Route route, boolean cryptoWarmUp) {
        this.settings = settings;
        this.runtime = runtime;
        this.runSession = runSession;
        this.route = route;
        this.cryptoWarmUp = cryptoWarmUp;
    }

    boolean preconnected() { return preconnected; }

    /** A new authenticated session, within the connect timeout (and {@code callerTimeout}, if shorter). */
    ClientSession open(Duration callerTimeout) throws ProbeException, InterruptedException {
        Duration budget = min(settings.connectTimeout(), callerTimeout);
        long deadline = System.nanoTime() + budget.toNanos();
        SocketAddress address = route.address(budget);
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
            if (!runSession.awaitGoAhead(0)) preconnected = true;
            cf = runtime.client.connect(settings.user(), address, AttributeRepository.ofAttributesMap(context), null);
            // the crypto's first use, while TCP connects and the server's first packets are on their way
            // (on loopback there is no such wait: it would only duplicate the key exchange's own work)
            if (cryptoWarmUp && !(address instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress())) {
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
                if (ClosedBeforeBanner.is(cf.getException())) throw droppedBeforeBanner(cf.getException());
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
            if (ClosedBeforeBanner.is(e)) throw droppedBeforeBanner(e);
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

    private static long remainingNanos(long deadline) { return Math.max(0, deadline - System.nanoTime()); }

    private static Duration min(Duration a, Duration b) {
        if (b == null || b.isNegative() || b.isZero()) return a;
        return a.compareTo(b) <= 0 ? a : b;
    }
}
