package io.triaready.transport.ssh;

import java.io.Console;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.triaready.spi.ProbeException;
import io.triaready.spi.SpeedTricks;
import io.triaready.transport.ssh.mina.QuickAckIo;
import io.triaready.transport.ssh.mina.QuickAuth;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientConnectionServiceFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientUserAuthServiceFactory;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The run's one {@link SshClient}: started on the first SSH connection, stopped when the run ends.
 * Also paces handshakes run-wide: sshd drops unauthenticated connections beyond MaxStartups (10:30:100
 * by default), so a fleet of fifty hosts behind one bastion must not open fifty at once.
 */
final class SshRuntime implements AutoCloseable {
    /** Concurrent handshakes (TCP connect to authenticated) across the run: below MaxStartups' 10. */
    static final int MAX_HANDSHAKES = 8;

    /** What verifies the host key of one connection, set in its connect context. */
    static final AttributeKey<HostKeyCheck> HOST_KEY_CHECK = new AttributeKey<>();

    final SshClient client;
    /** Keepalives of every connection: one small daemon thread for the run. */
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tria-ssh-keepalive");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore handshakes = new Semaphore(MAX_HANDSHAKES, true);
    private final AtomicInteger peakHandshakes = new AtomicInteger();
    final SshSettings.Environment environment;
    private final Map<Path, String> typedPassphrases = new ConcurrentHashMap<>();
    /** Keys read once per run: a fleet of 100 hosts sharing one key would otherwise parse it 100 times. */
    private final Map<List<Object>, Identities.Loaded> loadedKeys = new ConcurrentHashMap<>();
    private final Object consoleLock = new Object();
    /** Whether the client logs in with {@link QuickAuth} and reads and writes through {@link QuickAckIo}. */
    final boolean speedTricks;

    private SshRuntime(SshSettings.Environment environment, SpeedTricks tricks) {
        this.environment = environment;
        this.speedTricks = tricks.on();
        client = SshClient.setUpDefaultClient();
        // Nothing implicit: hosts, keys and known_hosts come from SshSettings, per host.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        if (speedTricks) {
            client.setUserAuthFactories(List.of(QuickAuth.publicKey(s -> attribute(s, AgentSupport.SOCKET) != null)));
            client.setServiceFactories(List.of(QuickAuth.SERVICE, ClientConnectionServiceFactory.INSTANCE));
        } else { // MINA's own: a "none" request, then each key asked about before it signs
            client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            client.setServiceFactories(List.of(ClientUserAuthServiceFactory.INSTANCE, ClientConnectionServiceFactory.INSTANCE));
        }
        client.setServerKeyVerifier(new Verifier());
        client.setAgentFactory(new AgentSupport());
        client.addSessionListener(new PreferKnownHostKeyTypes());
        // Every exchange here is a small request waiting for its answer: Nagle's algorithm would hold each
        // second small write for an ACK (a round trip, plus the server's delayed ACK), as OpenSSH knows too.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        if (speedTricks) client.setIoServiceFactoryFactory(new QuickAckIo()); // else MINA's own NIO2 transport
        client.start();
    }

    static SshRuntime start(SshSettings.Environment environment, SpeedTricks tricks) { return new SshRuntime(environment, tricks); }

    /** Takes one of the run's handshake slots (see {@link #MAX_HANDSHAKES}); false if none freed up in time. */
    boolean startHandshake(long nanos) throws InterruptedException {
        if (!handshakes.tryAcquire(nanos, TimeUnit.NANOSECONDS)) return false;
        peakHandshakes.accumulateAndGet(MAX_HANDSHAKES - handshakes.availablePermits(), Math::max);
        return true;
    }

    void endHandshake() { handshakes.release(); }

    /** The most handshakes this run had in progress at once (for tests of the pacing). */
    int peakHandshakes() { return peakHandshakes.get(); }

    /** The keys {@code settings} offers, read on first use; a failure is not kept (its message names the host). */
    Identities.Loaded identities(SshSettings settings) throws ProbeException {
        List<Object> key = Arrays.asList(settings.identities(), settings.explicitIdentities(), settings.passphrase());
        Identities.Loaded known = loadedKeys.get(key);
        if (known != null) return known;
        Identities.Loaded loaded = Identities.load(settings, environment.home(), this::prompt);
        loadedKeys.putIfAbsent(key, loaded);
        return loaded;
    }

    /** A passphrase typed at the terminal, asked once per key per run; null without a terminal. */
    String prompt(Path key, String label) {
        Console console = System.console();
        if (console == null) return null;
        synchronized (consoleLock) {
            String known = typedPassphrases.get(key);
            if (known != null) return known;
            char[] typed = console.readPassword("Enter passphrase for key %s: ", label);
            if (typed == null || typed.length == 0) return null;
            String p = new String(typed);
            Arrays.fill(typed, '\0');
            typedPassphrases.put(key, p);
            return p;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // the run is over
        }
    }

    /** Hands each connection's host key to the {@link HostKeyCheck} in its connect context. */
    private static final class Verifier implements ServerKeyVerifier {
        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
            HostKeyCheck check = attribute(session, HOST_KEY_CHECK);
            return check != null && check.verify(serverKey);
        }
    }

    /**
     * Asks the server for a host key type known_hosts already lists for it, as OpenSSH does: a server
     * with ed25519 and ECDSA keys, known by its ECDSA key, must not look "changed" because the client
     * happened to prefer ed25519.
     */
    private static final class PreferKnownHostKeyTypes implements SessionListener {
        @Override
        public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
            HostKeyCheck check = attribute(session, HOST_KEY_CHECK);
            String algorithms = proposal.get(KexProposalOption.SERVERKEYS);
            if (check == null || algorithms == null) return;
            Set<String> known = check.knownKeyTypes();
            if (known.isEmpty()) return;
            List<String> first = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String a : algorithms.split(",")) {
                String type = KeyUtils.getCanonicalKeyType(a);
                (known.contains(type) ? first : rest).add(a);
            }
            if (first.isEmpty()) return;
            first.addAll(rest);
            try {
                proposal.put(KexProposalOption.SERVERKEYS, String.join(",", first));
            } catch (UnsupportedOperationException ignored) {
                // an immutable proposal: keep MINA's order
            }
        }
    }

    /** An attribute of the session or, as set by {@code connect(..., context, ...)}, of its connection context. */
    static <T> T attribute(Session session, AttributeKey<T> key) {
        if (session == null) return null;
        T v = session.getAttribute(key);
        if (v == null && session instanceof ClientSession cs && cs.getConnectionContext() != null) {
            v = cs.getConnectionContext().getAttribute(key);
        }
        return v;
    }

    /** For messages: ProbeException with the host label. */
    static ProbeException error(SshSettings s, String what) { return new ProbeException("ssh " + s.label() + ": " + what); }
}
