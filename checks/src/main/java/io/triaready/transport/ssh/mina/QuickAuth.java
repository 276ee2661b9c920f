package io.triaready.transport.ssh.mina;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.sshd.client.auth.pubkey.KeyPairIdentity;
import org.apache.sshd.client.auth.pubkey.PublicKeyAuthenticationReporter;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientUserAuthService;
import org.apache.sshd.common.ServiceFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.auth.AbstractUserAuthServiceFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.kex.extension.DefaultClientKexExtensionHandler;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * Public-key login in one round trip after the key exchange instead of three.
 *
 * <p>MINA, like OpenSSH, first asks the server which methods it takes (a {@code none} request), then
 * asks whether it would accept a key (a request without signature, answered by PK_OK), and only then
 * sends the signed request: three round trips after the service request. Behind 25 ms each way that is
 * a tenth of a second of an audit that takes one second. RFC 4252 lets a client skip both:
 * <ul>
 * <li>{@link AuthService}: the first request is already the public-key one (our only method), sent right
 *     behind the service request, as MINA sends its {@code none};</li>
 * <li>{@link SignFirst}: without an agent, the first key read from a file (the usual single
 *     {@code identity:}) is sent signed at once. If the server refuses it, MINA's own flow goes on with
 *     every key, that one included, asking first as before: one extra attempt against sshd's
 *     MaxAuthTries (6) at most. With an agent nothing changes: its keys come first and are asked about
 *     before they sign (signing may need a touch or a confirmation).</li>
 * </ul>
 *
 * <p>MINA internals relied on (sshd-core 2.14.0; pinned by {@code QuickAuthPinTest}):
 * <ul>
 * <li>{@code ClientUserAuthService.sendInitialAuthRequest(ClientSession, String)} is the one place that
 *     sends {@code none}, called once by {@code auth()}; the protected fields {@code serverMethods},
 *     {@code clientMethods}, {@code authFutureHolder} and the method {@code tryNext(int, AuthFuture)}
 *     carry on from there as after a refused {@code none};</li>
 * <li>{@code UserAuthPublicKey.sendAuthDataRequest(ClientSession, String)} sends each attempt, and its
 *     protected fields {@code current}, {@code currentAlgorithms}, {@code chosenAlgorithm} plus
 *     {@code appendSignature(...)} are what its own signed request uses when PK_OK comes back.</li>
 * </ul>
 */
public final class QuickAuth {
    private QuickAuth() {}

    /** The user-auth service, as MINA's but without the {@code none} request. */
    public static final ServiceFactory SERVICE = new AbstractUserAuthServiceFactory() {
        @Override
        public org.apache.sshd.common.Service create(Session session) throws IOException {
            return new AuthService(session);
        }
    };

    /**
     * The {@code publickey} method, signing the first file key at once unless {@code usesAgent} says the
     * session logs in with an agent (then its keys go first and are asked about before they sign).
     */
    public static UserAuthPublicKeyFactory publicKey(Predicate<ClientSession> usesAgent) {
        return new UserAuthPublicKeyFactory() {
            @Override
            public UserAuthPublicKey createUserAuth(ClientSession session) {
                return new SignFirst(usesAgent);
            }
        };
    }

    static final class AuthService extends ClientUserAuthService {
        AuthService(Session session) { super(session); }

        /**
         * Instead of {@code none}: the server will list its methods when it refuses one of ours, which is
         * all {@code none} would have told us (we offer nothing but public keys).
         */
        @Override
        protected IoWriteFuture sendInitialAuthRequest(ClientSession session, String service) throws IOException {
            serverMethods = new ArrayList<>(clientMethods);
            try {
                tryNext(SshConstants.SSH_MSG_USERAUTH_REQUEST, authFutureHolder.get());
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            return null; // MINA's only caller, auth(), does not look at it
        }
    }

    static final class SignFirst extends UserAuthPublicKey {
        private final Predicate<ClientSession> usesAgent;
        private boolean first = true;

        SignFirst(Predicate<ClientSession> usesAgent) { this.usesAgent = usesAgent; }

        @Override
        protected boolean sendAuthDataRequest(ClientSession session, String service) throws Exception {
            if (first) {
                first = false;
                // with an agent, its keys go first (as in OpenSSH); they are asked about, not signed blindly
                KeyPair key = usesAgent.test(session) ? null : firstFileKey(session);
                String algorithm = key == null ? null : algorithm(session, key.getPublic());
                if (algorithm != null) {
                    sendSigned(session, service, key, algorithm);
                    return true;
                }
            }
            return super.sendAuthDataRequest(session, service);
        }

        private void sendSigned(ClientSession session, String service, KeyPair key, String algorithm) throws Exception {
            current = new KeyPairIdentity(this, session, key);
            currentAlgorithms.clear();
            chosenAlgorithm = algorithm;
            PublicKeyAuthenticationReporter reporter = session.getPublicKeyAuthenticationReporter();
            if (reporter != null) reporter.signalAuthenticationAttempt(session, service, key, algorithm);
            Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_USERAUTH_REQUEST);
            buffer.putString(session.getUsername());
            buffer.putString(service);
            buffer.putString(NAME);
            buffer.putBoolean(true);
            buffer.putString(algorithm);
            buffer.putPublicKey(key.getPublic());
            appendSignature(session, service, NAME, session.getUsername(), algorithm, key.getPublic(), null, buffer);
            setCancellable(false);
            session.writePacket(buffer);
        }

        /** The first key the session was given (from a file); null when it has none. */
        private static KeyPair firstFileKey(ClientSession session) throws Exception {
            Iterator<KeyPair> keys = session.getRegisteredIdentities().loadKeys(session).iterator();
            return keys.hasNext() ? keys.next() : null;
        }

        /**
         * The signature algorithm for a key the server has not told us about yet. RSA keys sign with
         * rsa-sha2-512 (OpenSSH 7.2 and later; the server's list, when it already came, decides); a
         * type we do not know is left to MINA's own flow.
         */
        private static String algorithm(ClientSession session, PublicKey key) {
            String type = KeyUtils.getKeyType(key);
            if (type == null) return null;
            if (!KeyPairProvider.SSH_RSA.equals(type)) {
                return type.equals(KeyPairProvider.SSH_ED25519) || type.startsWith("ecdsa-sha2-") ? type : null;
            }
            Set<String> server = session.getAttribute(DefaultClientKexExtensionHandler.SERVER_ALGORITHMS);
            if (server == null || server.contains(KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS)) return KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS;
            return null;
        }
    }
}
