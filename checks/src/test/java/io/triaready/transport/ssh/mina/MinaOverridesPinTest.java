package io.triaready.transport.ssh.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.PublicKeyIdentity;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientConnectionServiceFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientUserAuthService;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.io.nio2.Nio2CompletionHandler;
import org.apache.sshd.common.io.nio2.Nio2Service;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the MINA SSHD internals that {@link QuickAuth}, {@link QuickAckIo} and {@link ClosedBeforeBanner}
 * rely on. When MINA is upgraded, these fail first: the version is not the one the overrides were
 * checked against, a protected method or field they use changed, or (against a real sshd at DEBUG) the
 * override is no longer in effect: the login is not one signed request, or reads and writes no longer
 * pass through the quick-ACK session.
 */
class MinaOverridesPinTest {
    /** The sshd-core and sshd-common version the overrides were written and checked against. */
    static final String PINNED = "2.14.0";
    static final String RECHECK = "re-check these overrides (io.triaready.transport.ssh.mina: QuickAuth, QuickAckIo, ClosedBeforeBanner)"
            + " against the new MINA, then update MinaOverridesPinTest.PINNED";

    @TempDir
    static Path dir;
    static Sshd sshd;
    static KeyPair key;

    @BeforeAll
    static void start() throws Exception {
        Path file = Keys.keygen(dir.resolve("id_ecdsa"), "ecdsa", false, null, "client");
        sshd = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(file)).config("LogLevel DEBUG").start();
        try (InputStream in = Files.newInputStream(file)) {
            key = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, null).iterator().next();
        }
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    @Test
    void minaIsTheVersionTheOverridesWereCheckedAgainst() throws Exception {
        for (String artifact : List.of("sshd-core", "sshd-common")) {
            Properties p = new Properties();
            try (InputStream in = ClientUserAuthService.class.getResourceAsStream("/META-INF/maven/org.apache.sshd/" + artifact + "/pom.properties")) {
                assertThat(in).as(artifact + "'s pom.properties").isNotNull();
                p.load(in);
            }
            assertThat(p.getProperty("version")).as("%s is %s, not %s: %s", artifact, p.getProperty("version"), PINNED, RECHECK).isEqualTo(PINNED);
        }
    }

    @Test
    void quickAuthsHooksAreStillThere() throws Exception {
        protectedMethod(ClientUserAuthService.class, "sendInitialAuthRequest", IoWriteFuture.class, ClientSession.class, String.class);
        protectedMethod(ClientUserAuthService.class, "tryNext", void.class, int.class, AuthFuture.class);
        protectedField(ClientUserAuthService.class, "serverMethods", List.class);
        protectedField(ClientUserAuthService.class, "clientMethods", List.class);
        protectedField(ClientUserAuthService.class, "authFutureHolder", AtomicReference.class);
        protectedMethod(UserAuthPublicKey.class, "sendAuthDataRequest", boolean.class, ClientSession.class, String.class);
        protectedMethod(UserAuthPublicKey.class, "appendSignature", byte[].class, ClientSession.class, String.class, String.class, String.class,
                String.class, PublicKey.class, PublicKey.class, Buffer.class);
        protectedField(UserAuthPublicKey.class, "current", PublicKeyIdentity.class);
        protectedField(UserAuthPublicKey.class, "currentAlgorithms", Deque.class);
        protectedField(UserAuthPublicKey.class, "chosenAlgorithm", String.class);
    }

    @Test
    void quickAckIosHooksAreStillThere() throws Exception {
        Method create = Nio2ServiceFactory.class.getDeclaredMethod("createSession", Nio2Service.class, IoHandler.class,
                AsynchronousSocketChannel.class, SocketAddress.class);
        assertThat(create.getReturnType()).as(RECHECK).isEqualTo(Nio2Session.class);
        protectedMethod(Nio2Session.class, "handleReadCycleCompletion", void.class, ByteBuffer.class, Readable.class,
                Nio2CompletionHandler.class, Integer.class, Object.class);
        Method write = Nio2Session.class.getDeclaredMethod("writeBuffer", Buffer.class);
        assertThat(write.getReturnType()).as(RECHECK).isEqualTo(IoWriteFuture.class);
    }

    @Test
    void closedBeforeBannerStillNamesMinasException() {
        assertThat(ClosedBeforeBanner.is(new java.io.IOException("wrapped", new MissingAttachedSessionException("no session")))).isTrue();
        assertThat(ClosedBeforeBanner.is(new java.io.IOException("refused"))).isFalse();
        assertThat(MissingAttachedSessionException.class.getPackageName()).as(RECHECK).isEqualTo("org.apache.sshd.common.session.helpers");
    }

    /** Against a real sshd: one signed publickey request, no "none" and no "would you accept this key" query first. */
    @Test
    void quickAuthLogsInWithOneSignedRequest() throws Exception {
        long before = requests("userauth-request for user");
        long probes = requests("test pkalg");
        long none = requests("method none");
        try (SshClient client = client(true); ClientSession s = login(client)) {
            assertThat(s.isAuthenticated()).isTrue();
        }
        assertThat(requests("userauth-request for user") - before).as("login requests; " + RECHECK).isEqualTo(1);
        assertThat(requests("method none") - none).as("'none' requests; " + RECHECK).isZero();
        assertThat(requests("test pkalg") - probes).as("key queries; " + RECHECK).isZero();
    }

    /** The contrast that makes the test above mean something: MINA's own login sends "none" first. */
    @Test
    void minasOwnLoginAsksNoneFirst() throws Exception {
        long none = requests("method none");
        try (SshClient client = client(false); ClientSession s = login(client)) {
            assertThat(s.isAuthenticated()).isTrue();
        }
        assertThat(requests("method none") - none).isEqualTo(1);
    }

    /** Against a real sshd: the session is QuickAckIo's, its reads pass through the quick-ACK hook, and writes are held while batching. */
    @Test
    void quickAckIoIsInEffect() throws Exception {
        try (SshClient client = client(true); ClientSession s = login(client)) {
            assertThat(QuickAckIo.installedOn(s)).as(RECHECK).isTrue();
            assertThat(QuickAckIo.quickAckedReads(s)).as("reads through handleReadCycleCompletion; " + RECHECK).isPositive();
            AtomicReference<IoWriteFuture> held = new AtomicReference<>();
            QuickAckIo.batch(s, () -> {
                try {
                    held.set(s.sendIgnoreMessage(new byte[] {1}));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                assertThat(held.get().isDone()).as("a packet written while batching is held; " + RECHECK).isFalse();
            });
            assertThat(held.get().verify(Duration.ofSeconds(10)).isWritten()).isTrue();
        }
    }

    private static SshClient client(boolean quick) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        if (quick) {
            client.setUserAuthFactories(List.of(QuickAuth.publicKey(s -> false)));
            client.setServiceFactories(List.of(QuickAuth.SERVICE, ClientConnectionServiceFactory.INSTANCE));
            client.setIoServiceFactoryFactory(new QuickAckIo());
        } else {
            client.setUserAuthFactories(List.of(org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory.INSTANCE));
        }
        client.start();
        return client;
    }

    private static ClientSession login(SshClient client) throws Exception {
        ClientSession s = client.connect("root", sshd.host(), sshd.port()).verify(Duration.ofSeconds(10)).getSession();
        s.addPublicKeyIdentity(key);
        s.auth().verify(Duration.ofSeconds(10));
        return s;
    }

    private static long requests(String what) throws Exception {
        return sshd.log().lines().filter(l -> l.contains(what)).count();
    }

    private static void protectedMethod(Class<?> owner, String name, Class<?> returns, Class<?>... params) throws Exception {
        Method m;
        try {
            m = owner.getDeclaredMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(owner.getSimpleName() + "." + name + " is gone or changed its parameters: " + RECHECK, e);
        }
        assertThat(m.getReturnType()).as(owner.getSimpleName() + "." + name + ": " + RECHECK).isEqualTo(returns);
        assertThat(Modifier.isPrivate(m.getModifiers()) || Modifier.isFinal(m.getModifiers())).as(name + " overridable; " + RECHECK).isFalse();
    }

    private static void protectedField(Class<?> owner, String name, Class<?> type) throws Exception {
        Field f;
        try {
            f = owner.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(owner.getSimpleName() + "." + name + " is gone: " + RECHECK, e);
        }
        assertThat(f.getType()).as(owner.getSimpleName() + "." + name + ": " + RECHECK).isEqualTo(type);
        assertThat(Modifier.isPrivate(f.getModifiers())).as(name + " visible to subclasses; " + RECHECK).isFalse();
    }
}
